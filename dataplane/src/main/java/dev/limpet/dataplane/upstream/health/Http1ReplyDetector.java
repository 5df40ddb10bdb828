package dev.limpet.dataplane.upstream.health;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Fails an HTTP/2 probe with a reason an operator understands when the server answers in HTTP/1.x
 * (an HTTP/1.1 server given the HTTP/2 preface replies {@code HTTP/1.1 400}); HTTP/2's own codec
 * would only say that the first frame was not SETTINGS. Removes itself after the first bytes.
 */
final class Http1ReplyDetector extends ChannelInboundHandlerAdapter {
  private static final byte[] HTTP1 = "HTTP/".getBytes(StandardCharsets.US_ASCII);

  private final CompletableFuture<ProbeResult> result;
  private final String expected;

  /**
   * @param expected what the probe asked for, for the reason: {@code h2c}, {@code h2}
   */
  Http1ReplyDetector(CompletableFuture<ProbeResult> result, String expected) {
    this.result = result;
    this.expected = expected;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf bytes && startsLikeHttp1(bytes)) {
      bytes.release();
      result.complete(
          ProbeResult.fail(
              "the server answered in HTTP/1.x: it does not speak HTTP/2 (" + expected + ")"));
      ctx.close();
      return;
    }
    ctx.pipeline().remove(this);
    ctx.fireChannelRead(msg);
  }

  // A SETTINGS frame, what an HTTP/2 server sends first, starts with its 3-byte length: a first
  // byte of 'H' would announce more than 4 MB of settings.
  private static boolean startsLikeHttp1(ByteBuf bytes) {
    int n = Math.min(bytes.readableBytes(), HTTP1.length);
    if (n == 0) return false;
    for (int i = 0; i < n; i++)
      if (bytes.getByte(bytes.readerIndex() + i) != HTTP1[i]) return false;
    return true;
  }
}
