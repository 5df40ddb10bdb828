-- Avi DataScript Guide, group functions, avi.ipgroup.contains example, verbatim.
-- https://docs.vmware.com/en/VMware-NSX-Advanced-Load-Balancer/30.1/DataScript-Guide/GUID-5488422C-9DD4-4276-A191-86267D3D82FA.html
var = avi.vs.client_ip()
if avi.ipgroup.contains("IP-Group", var) then
   avi.vs.log("Blacklisted IP" .. var.. "attempting to log in")
   avi.http.close_conn()
end
