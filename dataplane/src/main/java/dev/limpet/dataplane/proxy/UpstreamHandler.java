package dev.limpet.dataplane.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;

/**
 * The last handler of an upstream channel: hands messages to the exchange it serves, or, while the
 * connection idles in the pool, closes it on anything the server sends (a close or garbage). An
 * HTTP/2 stream on another event loop's connection (at the server's connection limit) hands each
 * event over to the exchange's loop, in order, and drops those that arrive after it detached.
 */
final class UpstreamHandler extends ChannelDuplexHandler {
  static final String NAME = "upstream";
  private volatile UpstreamListener listener;
  private volatile EventExecutor executor;
  private long parkedAtNanos;
  private boolean unprocessed;

  static UpstreamHandler of(Channel channel) {
    return (UpstreamHandler) channel.pipeline().get(NAME);
  }

  /** Serves {@code listener}, whose events run on {@code executor} (its client's loop). */
  void attach(UpstreamListener listener, EventExecutor executor) {
    this.executor = executor;
    this.listener = listener;
  }

  /** Runs {@code event} for {@code l} on its loop, unless it detached meanwhile. */
  private void deliver(UpstreamListener l, Runnable event, Object message) {
    EventExecutor e = executor;
    if (e == null || e.inEventLoop()) {
      event.run();
      return;
    }
    e.execute(
        () -> {
          if (listener == l) event.run();
          else ReferenceCountUtil.release(message);
        });
  }

  /**
   * Closes an exchange's upstream channel, detached first: its close must not reach the next
   * exchange of the same client connection, which may have started before the close event runs.
   */
  static void close(Channel channel) {
    UpstreamHandler handler = of(channel);
    if (handler != null) handler.listener = null;
    channel.close();
  }

  /** Detaches and keeps one read pending so that a server-side close is noticed while idle. */
  void park(Channel channel) {
    this.listener = null;
    this.parkedAtNanos = System.nanoTime();
    channel.read();
  }

  /** When the connection was last returned to the pool. */
  long parkedAtNanos() {
    return parkedAtNanos;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    UpstreamListener l = listener;
    if (l != null) {
      deliver(l, () -> l.onUpstreamMessage(msg), msg);
    } else {
      ReferenceCountUtil.release(msg);
      ctx.close();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    UpstreamListener l = listener;
    if (l != null) deliver(l, l::onUpstreamReadComplete, null);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    UpstreamListener l = listener;
    if (l != null && ctx.channel().isWritable()) deliver(l, l::onUpstreamWritable, null);
  }

  /**
   * An HTTP/2 stream learns here that its server did not process it: a RST_STREAM REFUSED_STREAM,
   * or a GOAWAY (the multiplexer passes one only to the streams above its last stream id). The
   * stream closes next.
   */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof Http2ResetFrame reset) {
      unprocessed = reset.errorCode() == Http2Error.REFUSED_STREAM.code();
    } else if (evt instanceof Http2GoAwayFrame goAway) {
      unprocessed = true;
      goAway.release();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    UpstreamListener l = listener;
    boolean notProcessed = unprocessed;
    if (l != null)
      deliver(
          l,
          () -> {
            listener = null;
            l.onUpstreamClosed(notProcessed);
          },
          null);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
