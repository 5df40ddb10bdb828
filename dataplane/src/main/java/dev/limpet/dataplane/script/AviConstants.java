package dev.limpet.dataplane.script;

import dev.limpet.dataplane.config.DataScriptApi;
import org.luaj.vm2.LuaTable;

/**
 * The constants of {@code avi}: which message an {@code avi.http} call reads, the query-table
 * selector and the usual HTTP status codes. The selectors are small numbers that never collide with
 * the strings (header, query parameter names) accepted in the same argument positions.
 */
final class AviConstants {
  static final int HTTP_REQUEST = DataScriptApi.CONSTANTS.get("HTTP_REQUEST");
  static final int HTTP_RESPONSE = DataScriptApi.CONSTANTS.get("HTTP_RESPONSE");
  static final int QUERY_TABLE = DataScriptApi.CONSTANTS.get("QUERY_TABLE");

  private AviConstants() {}

  static void addTo(LuaTable avi) {
    DataScriptApi.CONSTANTS.forEach(avi::rawset);
  }
}
