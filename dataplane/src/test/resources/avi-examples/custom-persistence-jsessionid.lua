-- Avi DataScript Guide, "Custom Persistence with DataScript" (JSessionID), request event, verbatim.
-- https://avinetworks.com/docs/latest/custom-persistence-with-datascript/
-- (text as quoted by the first round's DataScriptEndToEndTest; this URL was not re-checked against the page)
if avi.http.get_cookie("JSESSIONID") then
  avi.pool.select("poolname", avi.vs.table_lookup(avi.http.get_cookie("JSESSIONID")))
end
