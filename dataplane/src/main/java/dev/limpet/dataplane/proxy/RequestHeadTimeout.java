package dev.limpet.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the time from a request's first byte to the end of its headers (slow-header clients): the
 * clock starts on the first bytes read while a head is awaited, and a late head gets 408.
 */
public final class RequestHeadTimeout extends ChannelInboundHandlerAdapter {
  public static final String NAME = "headTimeout";
  private final long timeoutMs;
  private boolean awaitingHead = true;
  private ScheduledFuture<?> timer;

  public RequestHeadTimeout(long timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (awaitingHead && timer == null && msg instanceof ByteBuf)
      timer = ctx.executor().schedule(() -> expire(ctx), timeoutMs, TimeUnit.MILLISECONDS);
    ctx.fireChannelRead(msg);
  }

  /** The head arrived: stop the clock. */
  void headReceived() {
    awaitingHead = false;
    cancel();
  }

  /** The exchange ended on a kept-alive connection: the next head is awaited. */
  void expectHead() {
    awaitingHead = true;
  }

  private void expire(ChannelHandlerContext ctx) {
    timer = null;
    if (!awaitingHead) return;
    // from the tail, so the HTTP encoder behind this handler frames the reply
    ctx.channel()
        .writeAndFlush(
            LocalReplies.of(
                HttpResponseStatus.REQUEST_TIMEOUT, "request headers not received in time", true))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private void cancel() {
    if (timer != null) timer.cancel(false);
    timer = null;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel();
    ctx.fireChannelInactive();
  }
}
