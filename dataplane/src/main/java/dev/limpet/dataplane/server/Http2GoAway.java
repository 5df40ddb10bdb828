package dev.limpet.dataplane.server;

import dev.limpet.dataplane.proxy.FrontendHandler;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameStreamException;
import io.netty.handler.codec.http2.Http2Stream;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When an HTTP/2 connection ends on the proxy's side, with GOAWAY (NO_ERROR, sent by the codec,
 * which then lets the open streams finish): after the client-idle timeout, counted from the moment
 * the connection last had no open stream (from its start, or since its last stream ended), so
 * frames that open no stream (PING, SETTINGS, WINDOW_UPDATE) cannot keep it; a stream that waits
 * for a slow server keeps it open, its own timeouts end that stream. And at once when the data
 * plane drains ({@link FrontendHandler#drain}). A connection error the codec already answered
 * (GOAWAY and close: a flood, a protocol error) is logged at debug here, not as Netty's warning at
 * the pipeline's end, which any client could fill the log with; a stream's error goes on to the
 * stream multiplexer.
 */
final class Http2GoAway extends ChannelDuplexHandler {
  static final String NAME = "h2GoAway";

  private static final Logger LOG = LoggerFactory.getLogger(Http2GoAway.class);

  private final long idleNanos;
  private final Http2Connection connection;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> timer;

  /** When the connection last had no open stream; meaningful while it has none. */
  private long idleSinceNanos;

  Http2GoAway(long idleMs, Http2ConnectionHandler codec) {
    this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMs);
    this.connection = codec.connection();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    connection.addListener(
        new Http2ConnectionAdapter() {
          @Override
          public void onStreamClosed(Http2Stream stream) {
            if (connection.numActiveStreams() == 0) idle();
          }
        });
    idle();
  }

  /** No stream is open: the connection ends after the idle timeout unless one opens. */
  private void idle() {
    idleSinceNanos = System.nanoTime();
    if (timer == null)
      timer = ctx.executor().schedule(this::check, idleNanos, TimeUnit.NANOSECONDS);
  }

  private void check() {
    timer = null;
    if (!ctx.channel().isActive() || connection.numActiveStreams() > 0) return; // a close re-arms
    long left = idleSinceNanos + idleNanos - System.nanoTime();
    if (left <= 0) ctx.close();
    else timer = ctx.executor().schedule(this::check, left, TimeUnit.NANOSECONDS);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (timer != null) timer.cancel(false);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (timer != null) timer.cancel(false);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof Http2FrameStreamException) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    LOG.debug("HTTP/2 connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    // the codec has sent its GOAWAY (with the error's code) and closes; anything else closes here
    if (!(cause instanceof Http2Exception)) ctx.close();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (FrontendHandler.isDrain(evt)) ctx.close();
    else super.userEventTriggered(ctx, evt);
  }
}
