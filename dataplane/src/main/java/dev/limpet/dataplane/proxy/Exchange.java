package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.http.ClientRequest;
import dev.limpet.dataplane.runtime.VirtualService;
import dev.limpet.dataplane.script.ScriptResult;
import dev.limpet.dataplane.script.ScriptTransaction;
import dev.limpet.dataplane.upstream.Pool;
import dev.limpet.dataplane.upstream.Selection;
import dev.limpet.dataplane.upstream.Server;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * The relay's state of one request/response transaction on a client connection: the request as the
 * stages before it made it (immutable), the server choice, and three small typed phases (how far
 * the request arrived, how far the response went, how the client connection goes on). Nothing here
 * is specific to HTTP/1.1 framing: a stream of another protocol has the same phases.
 */
final class Exchange {
  /** How far the client's request arrived. */
  enum RequestPhase {
    /** Body parts may still come. */
    RECEIVING,
    /** All of it is here. */
    RECEIVED
  }

  /** How far the response to the client went. */
  enum ResponsePhase {
    /** No response head yet. */
    AWAITED,
    /** An interim (1xx) response is being skipped; the real one follows. */
    INFORMATIONAL,
    /** The server's head went to the client; its body streams. */
    RELAYING,
    /** The server's response went to the client whole. */
    RELAYED,
    /** The proxy answered itself (an error, a refusal, a script's reply): no server's response. */
    LOCAL;

    boolean started() {
      return this == RELAYING || this == RELAYED || this == LOCAL;
    }

    boolean complete() {
      return this == RELAYED || this == LOCAL;
    }
  }

  /** How the client connection goes on after this exchange. */
  enum Afterwards {
    KEEP_ALIVE,
    /** Closed gracefully (FIN) once the response is sent. */
    CLOSE,
    /** Closed with a TCP reset ({@code close_conn(true)}). */
    RESET
  }

  /** What becomes of the upstream connection once the exchange is over. */
  enum UpstreamAfter {
    CLOSE,
    /** Back to the pool: the server kept it alive and the exchange ended cleanly. */
    REUSE
  }

  /** The request as the stages before the relay found it: head, virtual service, configuration. */
  final RoutedRequest request;

  final long startNanos = System.nanoTime();

  /** Body parts read before the upstream connection was ready. */
  final ArrayDeque<HttpContent> pendingBody = new ArrayDeque<>(2);

  /** Body parts sent on an HTTP/2 stream, kept until its answer starts. */
  final RequestReplay replay = new RequestReplay();

  /** The Lua state of this transaction; null when its virtual service has no scripts. */
  final ScriptTransaction scripts;

  /** The server choice; null for a request answered without one. */
  ServerChoice choice;

  Channel upstream;
  long lastUpstreamActivityNanos;
  long lastClientActivityNanos = startNanos;

  RequestPhase requestPhase = RequestPhase.RECEIVING;
  ResponsePhase responsePhase = ResponsePhase.AWAITED;
  Afterwards afterwards = Afterwards.KEEP_ALIVE;
  UpstreamAfter upstreamAfter = UpstreamAfter.CLOSE;

  /** {@link #upstream}, an HTTP/2 stream, is held against its server's drain ({@link Tunnels}). */
  boolean streamHeld;

  /** The request's last part went to a server (to be repeated if the request is sent again). */
  boolean requestEndSent;

  /**
   * The client connection's close rides on the response's last write ({@link UpstreamRelay}):
   * nothing is left to write before it.
   */
  boolean closeWritten;

  int status;
  long requestBytes;
  long responseBytes;

  Exchange(RoutedRequest request, ScriptTransaction scripts) {
    this.request = request;
    this.scripts = scripts;
  }

  boolean requestComplete() {
    return requestPhase == RequestPhase.RECEIVED;
  }

  boolean responseStarted() {
    return responsePhase.started();
  }

  boolean responseComplete() {
    return responsePhase.complete();
  }

  boolean answeredLocally() {
    return responsePhase == ResponsePhase.LOCAL;
  }

  /** The client connection closes after this exchange (a reset stays a reset). */
  void closeAfter() {
    if (afterwards == Afterwards.KEEP_ALIVE) afterwards = Afterwards.CLOSE;
  }

  /** Applies a script's {@code close_conn}. */
  void closeAfter(ScriptResult.Close close) {
    if (close == ScriptResult.Close.FIN) closeAfter();
    else if (close == ScriptResult.Close.RST) afterwards = Afterwards.RESET;
  }

  boolean closesClient() {
    return afterwards != Afterwards.KEEP_ALIVE;
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

  /** Releases the body parts read for a server that will not get them, and those kept. */
  void dropPendingBody() {
    pendingBody.forEach(ReferenceCountUtil::release);
    pendingBody.clear();
    replay.done();
  }

  /**
   * Makes the request ready to go again from its start: the parts kept for that go back ahead of
   * those pending (their end among them).
   */
  void rewind() {
    if (replay.restore(pendingBody)) requestEndSent = false;
  }

  /** Ends the use of the upstream connection, which cannot be reused: closed. */
  void dropUpstream() {
    if (upstream == null) return;
    server().requestEnded();
    UpstreamHandler.close(upstream);
    upstream = null;
  }

  /** True when {@link RoutedRequest#body} is the whole body: its parts are queued, none to come. */
  boolean requestBodyWhole() {
    return request.body() != null && request.body().whole();
  }
}
