package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.http.ClientRequest;
import dev.limpet.dataplane.runtime.VirtualService;
import dev.limpet.dataplane.script.ScriptTransaction;
import dev.limpet.dataplane.upstream.Pool;
import dev.limpet.dataplane.upstream.Selection;
import dev.limpet.dataplane.upstream.Server;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayDeque;

/** The state of one request/response transaction on a client connection. */
final class Exchange {
  /** The request as the routing stage found it: its head, virtual service, configuration. */
  final RoutedRequest request;

  final long startNanos = System.nanoTime();

  /** Body parts read before the upstream connection was ready. */
  final ArrayDeque<HttpContent> pendingBody = new ArrayDeque<>(2);

  /** The server choice, made once the request scripts ran (they may pick the pool); else null. */
  ServerChoice choice;

  /** The Lua state of this transaction, created when the first script runs. */
  ScriptTransaction scripts;

  Channel upstream;
  long lastUpstreamActivityNanos;
  long lastClientActivityNanos = startNanos;

  boolean local;
  boolean requestComplete;
  boolean requestBodySent;
  boolean responseStarted;
  boolean responseComplete;
  boolean informational;
  boolean upstreamReusable;
  boolean closeAfter;

  /**
   * Close the client connection with a TCP reset after this exchange ({@code close_conn(true)}).
   */
  boolean resetAfter;

  int status;

  long requestBytes;
  long responseBytes;

  Exchange(RoutedRequest request) {
    this.request = request;
  }

  /** The pool the request goes to: the virtual service's until a script chose another. */
  Pool pool() {
    if (choice != null) return choice.pool();
    return vs() == null ? null : vs().pool();
  }

  /** The server chosen last, or null. */
  Server server() {
    return choice == null ? null : choice.server();
  }

  Selection selection() {
    return choice == null ? null : choice.selection();
  }

  HttpRequest head() {
    return request.head();
  }

  VirtualService vs() {
    return request.vs();
  }

  ClientRequest clientRequest() {
    return request.client();
  }

  /** True when {@link #requestBody} is the whole body: its parts are queued, none still to come. */
  boolean requestBodyWhole() {
    return request.body() != null && request.body().whole();
  }

  /** Requests that may be sent again after a failed attempt (RFC 9110 idempotent methods). */
  boolean idempotent() {
    return switch (head().method().name()) {
      case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true;
      default -> false;
    };
  }
}
