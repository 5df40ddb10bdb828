package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.http.ClientRequest;
import dev.limpet.dataplane.runtime.RuntimeConfig;
import dev.limpet.dataplane.runtime.VirtualService;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * A request head as the {@link Route} stage found it: the configuration it arrived under, the
 * virtual service its Host names (null when none does: it is answered 404 in its turn), and what
 * the head said before later stages changed it (keep-alive, a protocol switch, HTTP/1.0, the URI).
 * Nothing here assumes the request came over HTTP/1.1: those are facts about the client's message,
 * whatever carried it.
 *
 * @param trailers what the head declared of its trailer section, or null ({@link TrailerFields})
 * @param body the first bytes of the body buffered for the scripts ({@link RequestBodyBuffer}), or
 *     null
 */
record RoutedRequest(
    HttpRequest head,
    String uri,
    ClientRequest client,
    RuntimeConfig config,
    VirtualService vs,
    boolean keepAlive,
    boolean upgrade,
    boolean http10,
    TrailerFields.Declared trailers,
    RequestBodyBuffer.BufferedBody body)
    implements RequestMessage {

  /** True when a virtual service serves the request. */
  boolean routed() {
    return vs != null;
  }

  /** True when the body came in the head's own message (read whole): no part of it follows. */
  boolean arrivedWhole() {
    return head instanceof LastHttpContent;
  }

  /**
   * True when the head announces a body (a length above 0, or chunks): the one place that reads the
   * request's HTTP/1 framing fields for the relay; a stream of another protocol says it otherwise.
   */
  boolean announcesBody() {
    return HttpUtil.getContentLength(head, 0L) > 0 || HttpUtil.isTransferEncodingChunked(head);
  }

  /** Requests that may be sent again after a failed attempt (RFC 9110 idempotent methods). */
  boolean idempotent() {
    return switch (head.method().name()) {
      case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true;
      default -> false;
    };
  }
}
