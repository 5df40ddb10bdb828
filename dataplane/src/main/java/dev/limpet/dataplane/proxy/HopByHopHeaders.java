package dev.limpet.dataplane.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes the hop-by-hop fields of RFC 9110 section 7.6.1 before a message is forwarded: the fixed
 * list plus every field that {@code Connection} names, except the fields that frame the message or
 * route it ({@code Content-Length}, {@code Transfer-Encoding}, {@code Host}): removing those
 * because a client named them would forward a body without its framing, which the server would read
 * as the start of the next request on the connection (a request of another client). {@code
 * Transfer-Encoding} stays anyway: the next hop's encoder re-frames the streamed body with it. A
 * look-up per listed name finds what to remove. {@code TE} goes as {@code trailers} when it offers
 * that (RFC 9110 section 10.1.4: the proxy passes trailers on, so it may say so to the next hop;
 * gRPC servers need it), its other codings dropped: the proxy decodes none of them.
 */
final class HopByHopHeaders {
  private static final List<AsciiString> FIXED =
      List.of(
          HttpHeaderNames.CONNECTION,
          HttpHeaderNames.KEEP_ALIVE,
          AsciiString.cached("proxy-connection"),
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
    List<CharSequence> remove = null;
    CharSequence upgrade = null;
    boolean trailers = false;
    // a look-up per fixed name rather than a walk over the fields: containers that keep fields as
    // bytes (ReceivedHeaders) answer it without building an entry per field
    for (int i = 0; i < FIXED.size(); i++) {
      AsciiString name = FIXED.get(i);
      if (!headers.contains(name)) continue;
      if (remove == null) remove = new ArrayList<>(4);
      remove.add(name);
      if (name == HttpHeaderNames.CONNECTION) {
        for (String connection : headers.getAll(name)) addNamedBy(connection, remove);
      } else if (name == HttpHeaderNames.UPGRADE) {
        List<String> upgrades = headers.getAll(name);
        upgrade = upgrades.get(upgrades.size() - 1);
      } else if (name == HttpHeaderNames.TE) {
        for (String te : headers.getAll(name)) trailers |= offersTrailers(te);
      }
    }
    if (remove == null) return;
    for (CharSequence name : remove) headers.remove(name);
    if (trailers) headers.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
    if (keepUpgrade && upgrade != null) {
      headers.set(HttpHeaderNames.UPGRADE, upgrade);
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderNames.UPGRADE);
    }
  }

  private static boolean offersTrailers(CharSequence te) {
    for (String token : te.toString().split(","))
      if (token.trim().equalsIgnoreCase("trailers")) return true;
    return false;
  }

  /**
   * Adds to {@code remove} the fields a {@code Connection} value names, except its own keywords and
   * framing fields. It walks the comma-separated tokens in place (trimmed as {@code String.trim}
   * does), so the usual value, one keyword ({@code close}, {@code keep-alive}), costs no object.
   */
  private static void addNamedBy(String connection, List<CharSequence> remove) {
    int start = 0;
    while (true) {
      int comma = connection.indexOf(',', start);
      int from = start;
      int to = comma < 0 ? connection.length() : comma;
      while (from < to && connection.charAt(from) <= ' ') from++;
      while (to > from && connection.charAt(to - 1) <= ' ') to--;
      if (from < to
          && !isToken(connection, from, to, "upgrade")
          && !isToken(connection, from, to, "close")
          && !isToken(connection, from, to, "keep-alive")) {
        String name = connection.substring(from, to);
        if (!isFraming(name)) remove.add(name);
      }
      if (comma < 0) return;
      start = comma + 1;
    }
  }

  /** Whether {@code value}'s characters {@code from} to {@code to} are {@code token}, any case. */
  private static boolean isToken(String value, int from, int to, String token) {
    return to - from == token.length() && value.regionMatches(true, from, token, 0, to - from);
  }

  private static boolean isFraming(CharSequence name) {
    return AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.CONTENT_LENGTH)
        || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TRANSFER_ENCODING)
        || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.HOST);
  }

  /**
   * True when a {@code Connection} field names a framing field: a server that does that is broken
   * or hostile, and its message cannot be forwarded as it is framed.
   */
  static boolean namesFramingField(HttpHeaders headers) {
    if (!headers.contains(HttpHeaderNames.CONNECTION)) return false;
    List<String> connection = headers.getAll(HttpHeaderNames.CONNECTION);
    for (int i = 0; i < connection.size(); i++) {
      for (String token : connection.get(i).split(",")) if (isFraming(token.trim())) return true;
    }
    return false;
  }

  /** True when the request asks to switch protocols (a WebSocket handshake). */
  static boolean isUpgrade(HttpHeaders headers) {
    return headers.contains(HttpHeaderNames.UPGRADE)
        && headers.containsValue(HttpHeaderNames.CONNECTION, "upgrade", true);
  }
}
