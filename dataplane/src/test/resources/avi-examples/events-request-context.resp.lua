-- Avi DataScript Guide, "DataScript Events" (a context parameter read in the response event), verbatim.
-- https://avinetworks.com/docs/latest/datascript-events/
if avi.http.get_header("my_header", avi.HTTP_REQUEST) then
 avi.http.close_conn()
end
