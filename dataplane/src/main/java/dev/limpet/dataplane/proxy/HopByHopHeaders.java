package dev.limpet.dataplane.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * Removes the hop-by-hop fields of RFC 9110 section 7.6.1 before a message is forwarded: the fixed
 * list plus every field that {@code Connection} names. {@code Transfer-Encoding} stays: the next
 * hop's encoder re-frames the streamed body with it.
 */
final class HopByHopHeaders {
  private static final List<CharSequence> FIXED =
      List.of(
          HttpHeaderNames.CONNECTION,
          HttpHeaderNames.KEEP_ALIVE,
          "proxy-connection",
          HttpHeaderNames.TE,
          HttpHeaderNames.TRAILER,
          HttpHeaderNames.UPGRADE,
          HttpHeaderNames.PROXY_AUTHENTICATE,
          HttpHeaderNames.PROXY_AUTHORIZATION);

  private HopByHopHeaders() {}

  /**
   * Strips hop-by-hop fields; {@code keepUpgrade} keeps {@code Upgrade} and {@code Connection:
   * upgrade} for a WebSocket handshake.
   */
  static void strip(HttpHeaders headers, boolean keepUpgrade) {
    for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : connection.split(",")) {
        String name = token.trim();
        if (!name.isEmpty()
            && !name.equalsIgnoreCase("upgrade")
            && !name.equalsIgnoreCase("close")
            && !name.equalsIgnoreCase("keep-alive")
            && !name.equalsIgnoreCase("transfer-encoding")) {
          headers.remove(name);
        }
      }
    }
    String upgrade = headers.get(HttpHeaderNames.UPGRADE);
    for (CharSequence name : FIXED) headers.remove(name);
    if (keepUpgrade && upgrade != null) {
      headers.set(HttpHeaderNames.UPGRADE, upgrade);
      headers.set(HttpHeaderNames.CONNECTION, "upgrade");
    }
  }

  /** True when the request asks to switch protocols (a WebSocket handshake). */
  static boolean isUpgrade(HttpHeaders headers) {
    return headers.contains(HttpHeaderNames.UPGRADE)
        && headers.containsValue(HttpHeaderNames.CONNECTION, "upgrade", true);
  }
}
