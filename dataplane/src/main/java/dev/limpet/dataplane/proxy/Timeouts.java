package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timeouts stage of a client connection: keeps its one timer armed for the deadline that
 * applies now ({@link Deadlines}) and acts on the one that passed: 408 and close for a head too
 * slow to arrive, close for an idle connection or a stalled request body, 504 for a server too slow
 * to answer (a close once its response started).
 */
final class Timeouts {
  private static final Logger LOG = LoggerFactory.getLogger(Timeouts.class);

  private final ChannelHandlerContext ctx;
  private final Deadlines deadlines;
  private final RequestClock clock;
  private final DataPlaneMetrics metrics;
  private final ExchangeEndings endings;
  private final ConnectionTimer timer;

  /** When the connection last became idle (no exchange), for the client-idle timeout. */
  private long idleSinceNanos;

  /**
   * @param onTimer called when a deadline may have passed; the proxy handler answers with {@link
   *     #check} when the connection is still its own
   */
  Timeouts(
      ChannelHandlerContext ctx,
      Deadlines deadlines,
      RequestClock clock,
      DataPlaneMetrics metrics,
      ExchangeEndings endings,
      Runnable onTimer) {
    this.ctx = ctx;
    this.deadlines = deadlines;
    this.clock = clock;
    this.metrics = metrics;
    this.endings = endings;
    this.timer = new ConnectionTimer(ctx.executor(), onTimer);
  }

  /** The connection opened: idle, and the first byte of each head starts its header-read time. */
  void start() {
    clock.onFirstByte(() -> timer.wakeAt(clock.firstByteNanos() + deadlines.headerReadNanos()));
    idleSinceNanos = System.nanoTime();
    // armed for the earlier of the two deadlines the first head can meet, so that its first byte
    // asks for nothing earlier: a connection that sends its request at once schedules one timer,
    // not two; waking early costs only a check that re-arms for the deadline that applies
    timer.wakeAt(
        idleSinceNanos + Math.min(deadlines.clientIdleNanos(), deadlines.headerReadNanos()));
  }

  /** No exchange is under way: the client-idle timeout runs from now. */
  void idle() {
    idleSinceNanos = System.nanoTime();
    timer.wakeAt(idleSinceNanos + deadlines.clientIdleNanos());
  }

  /** The request body streams to the server: the client must send on within the idle timeout. */
  void bodyStreaming(Exchange e) {
    timer.wakeAt(e.lastClientActivityNanos + deadlines.clientIdleNanos());
  }

  /** The request is sent whole: from now the server must answer within the response timeout. */
  void awaitResponse(Exchange e) {
    e.lastUpstreamActivityNanos = System.nanoTime();
    Deadlines.Deadline deadline = deadlines.during(e);
    if (deadline.kind() != Deadlines.Kind.NONE) timer.wakeAt(deadline.atNanos());
  }

  /** The connection is no longer the proxy's (closed, or a tunnel): no timeout acts any more. */
  void cancel() {
    timer.cancel();
  }

  /**
   * Acts on the deadline that passed, if any, else re-arms for it.
   *
   * @param e the exchange under way, or null between exchanges
   * @param requestsQueued whether pipelined requests wait their turn
   */
  void check(Exchange e, boolean requestsQueued) {
    Deadlines.Deadline next =
        e == null
            ? deadlines.between(clock.firstByteNanos(), idleSinceNanos, requestsQueued)
            : deadlines.during(e);
    if (next.atNanos() > System.nanoTime()) {
      if (next.kind() != Deadlines.Kind.NONE) timer.wakeAt(next.atNanos());
      return;
    }
    expired(next.kind(), e);
  }

  /** What each passed deadline does to the connection. */
  void expired(Deadlines.Kind kind, Exchange e) {
    switch (kind) {
      case HEADER_READ ->
          endings.refuseConnection(
              HttpResponseStatus.REQUEST_TIMEOUT, "request headers not received in time");
      case CLIENT_IDLE -> ctx.close(); // idle keep-alive connection
      case REQUEST_BODY -> {
        LOG.debug("client {} stalled its request body; closing", ctx.channel().remoteAddress());
        ctx.close();
      }
      case UPSTREAM_RESPONSE -> {
        metrics.upstreamError(e.pool().name(), "timeout");
        if (!e.responseStarted())
          endings.abortUpstream(
              e,
              HttpResponseStatus.GATEWAY_TIMEOUT,
              "server " + e.server().name() + " did not answer in time");
        else endings.closeClient();
      }
      case NONE -> {}
    }
  }
}
