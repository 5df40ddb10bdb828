-- Avi DataScript Guide, avi.vs.table_insert "HTTP Response Example", verbatim.
-- https://www-stage.avinetworks.com/docs/21.1/datascript-avi-vs-table_insert/
if avi.http.get_cookie("JSESSIONID") ~= "" then
   avi.vs.table_insert(avi.http.get_cookie("JSESSIONID"), avi.pool.server_ip(), 3600)                                                                        
  end
