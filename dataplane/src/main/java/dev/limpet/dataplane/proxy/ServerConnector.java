package dev.limpet.dataplane.proxy;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connect stage of an exchange: picks its server ({@link Balancing}: persistence first), gets a
 * connection to it from the pool of the client's event loop (both channels then share a thread),
 * and applies the {@link ServerChoice}'s retry policies: another server after a refusal, the same
 * request again after a pooled connection turned out closed, or after an HTTP/2 server said it did
 * not process it. What cannot be connected ends as a failed upstream ({@link
 * ExchangeEndings#serverFailed}).
 */
final class ServerConnector {
  private static final Logger LOG = LoggerFactory.getLogger(ServerConnector.class);

  /** Where a connection goes: the proxy handler, whose exchange may have ended meanwhile. */
  interface Connected {
    /** Whether {@code e} still waits for a server: the connection's exchange, not answered. */
    boolean waiting(Exchange e);

    void connected(Exchange e, Channel upstream);
  }

  private final EventLoop loop;
  private final ProxyContext context;
  private final Balancing balancing;
  private final ExchangeEndings endings;
  private final Connected connected;

  /**
   * @param loop the client channel's event loop
   */
  ServerConnector(
      EventLoop loop,
      ProxyContext context,
      Balancing balancing,
      ExchangeEndings endings,
      Connected connected) {
    this.loop = loop;
    this.context = context;
    this.balancing = balancing;
    this.endings = endings;
    this.connected = connected;
  }

  /** Picks the exchange's next server and connects to it. */
  void choose(Exchange e) {
    if (balancing.next(e.choice) == null) {
      endings.serverFailed(e, e.choice.noServerStatus(), e.choice.noServerReason());
      return;
    }
    connect(e);
  }

  private void connect(Exchange e) {
    int connectMs = e.vs().config().timeouts().connectMs();
    Future<Channel> f =
        context.connections.acquire(
            e.server(), e.vs().upstreamTls(), e.pool().config().protocol(), loop, connectMs);
    if (f.isDone()) onConnect(e, f);
    else f.addListener(x -> onConnect(e, f));
  }

  private void onConnect(Exchange e, Future<Channel> f) {
    if (!connected.waiting(e)) {
      if (f.isSuccess()) f.getNow().close();
      return;
    }
    if (!f.isSuccess()) {
      context.metrics.upstreamError(e.pool().name(), UpstreamConnectionPool.failureKind(f.cause()));
      LOG.debug("connect to {} failed: {}", e.server(), f.cause().toString());
      if (e.choice.refused(e.request.idempotent())) choose(e);
      else
        endings.serverFailed(
            e, HttpResponseStatus.BAD_GATEWAY, "could not connect to server " + e.server().name());
      return;
    }
    connected.connected(e, f.getNow());
  }

  /**
   * The server closed the exchange's connection (or stream) before its response was whole; {@code
   * unprocessed} when it said it did not process the request.
   */
  void closed(Exchange e, boolean unprocessed) {
    e.upstream = null;
    e.streamHeld = false;
    e.server().requestEnded();
    // not processed: once more, whatever the method, to the server the pool picks, when the body
    // sent so far was kept (RequestReplay)
    if (unprocessed && !e.responseStarted() && e.replay.whole() && e.choice.resendUnprocessed()) {
      LOG.debug("server {} did not process a request: sent again", e.server());
      e.rewind();
      choose(e);
      return;
    }
    // a pooled connection the server had closed: send again when nothing of the body is lost
    if (!e.responseStarted()
        && e.choice.resendAfterClose(e.request.idempotent(), e.requestComplete(), e.requestBytes)) {
      e.rewind();
      connect(e);
      return;
    }
    context.metrics.upstreamError(e.pool().name(), "reset");
    if (e.responseStarted()) endings.closeClient();
    else
      endings.serverFailed(
          e,
          HttpResponseStatus.BAD_GATEWAY,
          "server " + e.server().name() + " closed the connection");
  }
}
