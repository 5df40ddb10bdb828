package dev.limpet.dataplane.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an upstream channel: hands messages to the exchange it serves, or, while the
 * connection idles in the pool, closes it on anything the server sends (a close or garbage).
 */
final class UpstreamHandler extends ChannelDuplexHandler {
  static final String NAME = "upstream";
  private UpstreamListener listener;
  private long parkedAtNanos;

  static UpstreamHandler of(Channel channel) {
    return (UpstreamHandler) channel.pipeline().get(NAME);
  }

  void attach(UpstreamListener listener) {
    this.listener = listener;
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
    if (listener != null) {
      listener.onUpstreamMessage(msg);
    } else {
      ReferenceCountUtil.release(msg);
      ctx.close();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (listener != null) listener.onUpstreamReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (listener != null && ctx.channel().isWritable()) listener.onUpstreamWritable();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    UpstreamListener l = listener;
    listener = null;
    if (l != null) l.onUpstreamClosed();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
