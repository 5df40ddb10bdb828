-- Avi DataScript Guide, avi.http.response example (Shellshock, friendly message), verbatim.
-- https://avinetworks.com/docs/18.1/datascript-avi-http-response/
local h = avi.http.get_headers()
for k, v in pairs(h) do
   if string.sub(v, 1, 2) == "()" and #v > 2 then
      avi.http.response(404, {content_type="text/html"},
      "Blocking Shellshock Attack!")
   end
end
