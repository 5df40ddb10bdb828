-- Avi DataScript Guide, "Overview of DataScript" (the guide's first example), verbatim.
-- https://docs.vmware.com/en/VMware-Avi-Load-Balancer/30.2/DataScript-Guide/GUID-CF1CF8E0-09C1-4BB3-A815-A75DC2664ECB.html
path = avi.http.get_path()
if string.beginswith(path, "/docs/") then
   avi.http.redirect("http://docs.avinetworks.com/index.html")
end
