package dev.limpet.dataplane.script;

import dev.limpet.contract.DataScriptApi;
import dev.limpet.contract.DataScriptConfig.RateLimitAction;
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

  static final int RL_CUSTOM_STRING = DataScriptApi.CONSTANTS.get("RL_CUSTOM_STRING");

  private AviConstants() {}

  /** The {@code avi.RL_ACTION_*} value of {@code action}. */
  static int rateLimitAction(RateLimitAction action) {
    return DataScriptApi.CONSTANTS.get("RL_ACTION_" + action.name());
  }

  static void addTo(LuaTable avi) {
    DataScriptApi.CONSTANTS.forEach(avi::rawset);
  }
}
