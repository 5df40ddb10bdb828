-- Avi DataScript Guide, avi.http.get_header example (Shell Shock, connection reset), verbatim.
-- https://www-stage.avinetworks.com/docs/latest/datascript-avi-http-get_header/
headers = avi.http.get_header()                -- get all the HTTP headers
for key,val in pairs(headers) do               -- iterate through all headers
   if #val > 2 and string.sub(val, 1, 2) == "()" then
      avi.http.close_conn()                    -- reset the TCP connection
   end
end
