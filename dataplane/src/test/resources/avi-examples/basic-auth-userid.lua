-- Avi DataScript Guide, utilities functions, avi.utils.base64_decode example, verbatim.
-- https://docs.vmware.com/en/VMware-Avi-Load-Balancer/30.2/DataScript-Guide/GUID-9D69F39F-8D7E-4207-9261-BBD2443C62FA.html
if string.beginswith(avi.http.get_header("Authorization"), "Basic ") then
  auth = string.sub(avi.http.get_header("Authorization"), 7)
  decoded = avi.utils.base64_decode(auth)
  username = string.sub(decoded, 0, string.find(decoded, ":") - 1)
  avi.http.set_userid(username)
end
