package dev.limpet.dataplane.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Notes when the first byte of a request head arrives, just before the HTTP codec: the header-read
 * timeout counts from there (a slow-header client), not from the end of the previous exchange (an
 * idle keep-alive client). The proxy handler of the same connection reads it; both run on the
 * connection's thread.
 */
public final class RequestClock extends ChannelInboundHandlerAdapter {
  public static final String NAME = "requestClock";
  private boolean awaitingHead = true;
  private long firstByteNanos;
  private Runnable onFirstByte = () -> {};

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (awaitingHead && firstByteNanos == 0) {
      firstByteNanos = System.nanoTime();
      onFirstByte.run();
    }
    ctx.fireChannelRead(msg);
  }

  void onFirstByte(Runnable callback) {
    this.onFirstByte = callback;
  }

  /** The head arrived whole. */
  void headReceived() {
    awaitingHead = false;
    firstByteNanos = 0;
  }

  /** The exchange ended on a kept-alive connection: the next head is awaited. */
  void expectHead() {
    awaitingHead = true;
  }

  /** When the awaited head's first byte came, or 0 when no head is under way. */
  long firstByteNanos() {
    return firstByteNanos;
  }
}
