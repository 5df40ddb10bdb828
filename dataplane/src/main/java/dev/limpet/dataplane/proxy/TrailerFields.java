package dev.limpet.dataplane.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which fields of a request's trailer section go on to the server, the same for HTTP/1.1 chunked
 * trailers and HTTP/2 trailing HEADERS, decided here only. Trailers arrive after the head was
 * routed, checked, persisted on and sent, and some servers merge them into the header section (RFC
 * 9110 §6.5.2 forbids it), so a field there could change what the proxy already decided on: a field
 * passes only when the request's {@code Trailer} field declared it (§6.6.2), it is not one that
 * frames, routes, authenticates, identifies the client or describes the request (§6.5.1, the deny
 * list below), it is not the field the pool's persistence profile pins on, and no field of that
 * name is in the request head (as received, or as the proxy and the scripts left it). Every other
 * trailer field is dropped, not refused: the head is already on its way; a drop is logged at debug
 * level. Netty's HTTP/1.1 decoder already drops {@code Content-Length}, {@code Transfer-Encoding}
 * and {@code Trailer} from a chunked trailer section (RFC 9112 §7.1.2 lets a recipient discard
 * trailer fields).
 */
final class TrailerFields {
  private static final Logger LOG = LoggerFactory.getLogger(TrailerFields.class);

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
          "x-forwarded-server",
          "x-forwarded-prefix",
          "x-forwarded-uri",
          "via",
          // the client's identity and the request's original target, as servers read them
          "x-real-ip",
          "true-client-ip",
          "x-client-ip",
          "x-cluster-client-ip",
          "cf-connecting-ip",
          "x-original-url",
          "x-original-uri",
          "x-rewrite-url",
          "x-http-method-override",
          "x-http-method",
          "x-method-override",
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

  /**
   * What a request head says of its trailer section, read before any stage changes the head: the
   * names its {@code Trailer} field declares and the names of its fields, lower case; null when it
   * declares none (most requests: nothing is built), and then every trailer field is dropped.
   */
  static Declared declared(HttpHeaders head) {
    if (!head.contains(HttpHeaderNames.TRAILER)) return null;
    Set<String> declared = new HashSet<>();
    for (String value : head.getAll(HttpHeaderNames.TRAILER))
      for (String name : value.split(","))
        if (!name.isBlank()) declared.add(name.trim().toLowerCase(Locale.ROOT));
    Set<String> inHead = new HashSet<>();
    for (String name : head.names()) inHead.add(name.toLowerCase(Locale.ROOT));
    return new Declared(Set.copyOf(declared), Set.copyOf(inHead));
  }

  /**
   * A request head's {@code Trailer} declaration and its field names, lower case.
   *
   * @param names the names {@code Trailer} declares
   * @param inHead the names of the head's fields as received
   */
  record Declared(Set<String> names, Set<String> inHead) {}

  /**
   * Removes from {@code trailers} every field that may not pass (see the class comment).
   *
   * @param declared what the head declared ({@link #declared}); null: none
   * @param head the request head as sent on (the proxy's and the scripts' fields in it)
   * @param pinField the field the pool's persistence profile pins on, or null
   * @return the number of fields dropped
   */
  static int strip(HttpHeaders trailers, Declared declared, HttpHeaders head, String pinField) {
    if (trailers.isEmpty()) return 0;
    List<String> drop = null;
    for (Map.Entry<String, String> field : trailers) {
      String name = field.getKey();
      if (passes(name.toLowerCase(Locale.ROOT), declared, head, pinField)) continue;
      if (drop == null) drop = new ArrayList<>(2);
      drop.add(name);
    }
    if (drop == null) return 0;
    for (String name : drop) trailers.remove(name);
    LOG.debug("dropped request trailer fields {}", drop);
    return drop.size();
  }

  private static boolean passes(String name, Declared declared, HttpHeaders head, String pinField) {
    return declared != null
        && declared.names().contains(name)
        && !NOT_IN_TRAILERS.contains(name)
        && !declared.inHead().contains(name)
        && !head.contains(name)
        && !name.equalsIgnoreCase(pinField);
  }
}
