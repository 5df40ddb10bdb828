package dev.limpet.dataplane.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which fields of a request's trailer section go on to the server, the same for HTTP/1.1 chunked
 * trailers and HTTP/2 trailing HEADERS. RFC 9110 §6.5.1: a field that frames, routes,
 * authenticates, modifies or describes the request is read before the body and must not come after
 * it; a server that merges trailers into the header section (§6.5.2 forbids it, some do) would
 * otherwise see another length, host, client chain, credentials or content type than the ones the
 * proxy routed, checked and persisted on. Such fields are dropped, as Netty's HTTP/1.1 decoder
 * already drops {@code Content-Length}, {@code Transfer-Encoding} and {@code Trailer} from a
 * chunked trailer section (RFC 9112 §7.1.2 lets a recipient discard trailer fields); the others
 * (checksums, signatures, timings) pass.
 */
final class TrailerFields {
  private static final Set<String> NOT_IN_TRAILERS =
      Set.of(
          // framing
          "content-length",
          "transfer-encoding",
          "trailer",
          // connection-specific (RFC 9110 §7.6.1)
          "connection",
          "keep-alive",
          "proxy-connection",
          "te",
          "upgrade",
          "http2-settings",
          // routing and the client chain the proxy wrote
          "host",
          "forwarded",
          "x-forwarded-for",
          "x-forwarded-proto",
          "x-forwarded-port",
          "x-forwarded-host",
          // authentication and the session (persistence reads cookies from the head)
          "authorization",
          "proxy-authorization",
          "proxy-authenticate",
          "cookie",
          // request modifiers and controls
          "expect",
          "max-forwards",
          "range",
          "if-range",
          "if-match",
          "if-none-match",
          "if-modified-since",
          "if-unmodified-since",
          "cache-control",
          "pragma",
          // content format
          "content-type",
          "content-encoding",
          "content-range",
          "content-language",
          "content-location");

  private TrailerFields() {}

  /** Removes from {@code trailers} every field that must not come after the body. */
  static void strip(HttpHeaders trailers) {
    if (trailers.isEmpty()) return;
    List<String> drop = null;
    for (Map.Entry<String, String> field : trailers) {
      String name = field.getKey();
      if (!NOT_IN_TRAILERS.contains(name.toLowerCase(Locale.ROOT))) continue;
      if (drop == null) drop = new ArrayList<>(2);
      drop.add(name);
    }
    if (drop != null) for (String name : drop) trailers.remove(name);
  }
}
