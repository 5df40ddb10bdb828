-- Avi DataScript Guide, "Custom Persistence with DataScript" (JSessionID), response event, verbatim.
-- https://avinetworks.com/docs/latest/custom-persistence-with-datascript/
-- (text as quoted by the first round's DataScriptEndToEndTest; this URL was not re-checked against the page)
if avi.http.get_cookie("JSESSIONID") then
  avi.vs.table_insert(avi.http.get_cookie("JSESSIONID"), avi.pool.server_ip(), 1200)
end
