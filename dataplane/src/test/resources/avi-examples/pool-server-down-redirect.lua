-- Avi DataScript Guide, pool functions, avi.pool.get_server_status example, verbatim.
-- https://docs.vmware.com/en/VMware-Avi-Load-Balancer/30.2/DataScript-Guide/GUID-CB600293-89F9-4EEE-BA44-C912BB7AD210.html
if avi.pool.get_server_status("web-pool", "10.1.1.1", "80") == 0 then
   avi.http.redirect("backupsite.com" .. avi.http.get_uri())
 end
