package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The stage of an HTTP/2 stream, before its request scripts, that makes the first requests of a
 * connection follow the first one's server when the virtual service's DataScripts learn it from a
 * response (the Avi idiom: {@code table_lookup} in HTTP_REQ, {@code table_insert} in HTTP_RESP). A
 * browser sends its first requests on one connection together, so every HTTP_REQ would run before
 * the first response is learned and each would be balanced on its own (haproxy#2295). Here the
 * first stream's request goes on and claims; the requests of the connection's other streams for
 * that virtual service wait (their messages held, no more read) until the first response head has
 * gone through the HTTP_RESP scripts, or the first exchange ended without one, then run their
 * scripts and find the pin ({@link FirstResponses}).
 *
 * <p>The wait is bounded: a stream waits at most its virtual service's upstream response timeout;
 * at most {@link FirstResponses#MAX_WAITING} wait; a stream the client resets leaves the queue;
 * once a response came back on the connection for the virtual service, nothing waits any more.
 * Virtual services whose scripts learn nothing in HTTP_RESP never wait: ClientIP, HttpCookie and
 * AppCookie persistence record or read their pins without a response to wait for.
 */
public final class FirstResponseGate extends ChannelDuplexHandler {
  public static final String NAME = "firstResponseGate";

  private final DataPlaneMetrics metrics;

  /** The stream's clock: a held head has arrived whole, so its header-read timeout is over. */
  private final RequestClock clock;

  private ChannelHandlerContext ctx;

  /** The virtual service this stream's exchange came first for, until its response head. */
  private String claimed;

  /** The virtual service whose first response this stream waits for, or null. */
  private String waitingFor;

  /** What the stream's client sent while it waits, in order; made when a stream first waits. */
  private ArrayDeque<Object> held;

  private ScheduledFuture<?> timer;

  public FirstResponseGate(DataPlaneMetrics metrics, RequestClock clock) {
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (waitingFor != null) {
      hold(msg);
      return;
    }
    if (msg instanceof RoutedRequest request && learnsInResponse(request)) {
      String vs = request.vs().name();
      switch (claims().admit(vs, this)) {
        case FIRST -> claimed = vs;
        case WAIT -> {
          waitingFor = vs;
          hold(msg);
          // without this, the wait would count as a slow head and end in 408 at headerReadMs
          clock.headReceived();
          long ms = Math.max(1, request.vs().config().timeouts().upstreamResponseMs());
          timer = ctx.executor().schedule(() -> go("timeout"), ms, TimeUnit.MILLISECONDS);
          return;
        }
        case FULL -> metrics.http2HeldStream(vs, "full");
        case GO -> {}
      }
    }
    ctx.fireChannelRead(msg);
  }

  private static boolean learnsInResponse(RoutedRequest request) {
    return request.routed()
        && request.vs().scripts() != null
        && request.vs().scripts().learnsInResponse();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    // while it waits, the proxy must not ask for more: the stream's flow control holds the rest
    if (waitingFor == null) ctx.fireChannelReadComplete();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    // the proxy writes a response head after the HTTP_RESP scripts ran on it (or answers itself)
    if (claimed != null && msg instanceof HttpResponse response && response.status().code() >= 200)
      settle("response");
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (claimed != null) settle("first_ended");
    if (waitingFor != null) {
      claims().leave(waitingFor, this);
      end("reset");
      if (held != null) {
        held.forEach(ReferenceCountUtil::release);
        held.clear();
      }
    }
    ctx.fireChannelInactive();
  }

  private void hold(Object msg) {
    if (held == null) held = new ArrayDeque<>(2);
    held.add(msg);
  }

  /** The first exchange is over as {@code outcome} says: this stream goes on, in its turn. */
  void release(String outcome) {
    // not from inside the first stream's write: each stream goes on in a task of its own
    ctx.executor().execute(() -> go(outcome));
  }

  private void settle(String outcome) {
    String vs = claimed;
    claimed = null;
    claims().settle(vs, outcome);
  }

  /** Passes on what was held, and reads on as the proxy asks. */
  private void go(String outcome) {
    if (waitingFor == null) return;
    claims().leave(waitingFor, this);
    end(outcome);
    while (held != null && !held.isEmpty()) ctx.fireChannelRead(held.poll());
    ctx.fireChannelReadComplete();
  }

  private void end(String outcome) {
    metrics.http2HeldStream(waitingFor, outcome);
    waitingFor = null;
    if (timer != null) timer.cancel(false);
  }

  private FirstResponses claims() {
    return FirstResponses.of(ctx.channel().parent());
  }
}
