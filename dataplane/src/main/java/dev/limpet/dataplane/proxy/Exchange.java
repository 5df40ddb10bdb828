package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.runtime.VirtualService;
import dev.limpet.dataplane.upstream.ClientRequest;
import dev.limpet.dataplane.upstream.Pool;
import dev.limpet.dataplane.upstream.Selection;
import dev.limpet.dataplane.upstream.Server;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/** The state of one request/response transaction on a client connection. */
final class Exchange {
  final HttpRequest head;
  final String uri;
  final long startNanos = System.nanoTime();
  final ClientRequest clientRequest;
  final boolean clientKeepAlive;
  final boolean upgrade;
  final boolean http10;

  /** Servers that refused a connection for this request: not tried again. */
  final Set<Server> failed = new HashSet<>(2);

  /** Body parts read before the upstream connection was ready. */
  final ArrayDeque<HttpContent> pendingBody = new ArrayDeque<>(2);

  VirtualService vs;
  Pool pool;
  Selection selection;
  Server server;
  Channel upstream;
  ScheduledFuture<?> responseTimeout;
  long lastUpstreamActivityNanos;
  int staleRetries;

  boolean local;
  boolean requestComplete;
  boolean requestBodySent;
  boolean responseStarted;
  boolean responseComplete;
  boolean informational;
  boolean upstreamReusable;
  boolean closeAfter;
  int status;
  long requestBytes;
  long responseBytes;

  Exchange(
      HttpRequest head, ClientRequest clientRequest, boolean clientKeepAlive, boolean upgrade) {
    this.head = head;
    this.uri = head.uri();
    this.clientRequest = clientRequest;
    this.clientKeepAlive = clientKeepAlive;
    this.upgrade = upgrade;
    this.http10 = head.protocolVersion().minorVersion() == 0;
  }

  /** Requests that may be sent again after a failed attempt (RFC 9110 idempotent methods). */
  boolean idempotent() {
    return switch (head.method().name()) {
      case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true;
      default -> false;
    };
  }
}
