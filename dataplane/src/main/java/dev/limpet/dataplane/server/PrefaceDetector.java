package dev.limpet.dataplane.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;

/**
 * h2c with prior knowledge (RFC 9113 §3.3) on a plain port where a virtual service enables HTTP/2:
 * looks at a new connection's first bytes, and turns the connection to HTTP/2 when they are the
 * client preface ({@code PRI * HTTP/2.0...}), else leaves it to the HTTP/1 stages; either way it
 * then leaves the pipeline and passes on what it read. As soon as a byte differs the answer is
 * HTTP/1, so an HTTP/1 request waits for nothing. The h2c Upgrade from HTTP/1.1 is not offered: no
 * browser uses it, RFC 9113 deprecates it, and the HTTP/1 stages refuse {@code Upgrade: h2c}.
 */
final class PrefaceDetector extends ByteToMessageDecoder {
  static final String NAME = "h2cPreface";

  private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

  private final Http2Frontend http2;

  PrefaceDetector(Http2Frontend http2) {
    this.http2 = http2;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int seen = Math.min(in.readableBytes(), PREFACE.readableBytes());
    if (!ByteBufUtil.equals(in, in.readerIndex(), PREFACE, PREFACE.readerIndex(), seen)) {
      ctx.pipeline().remove(this);
    } else if (seen == PREFACE.readableBytes()) {
      http2.install(ctx);
      ctx.pipeline().remove(this);
    }
    // else: a prefix of the preface so far; the decoder reads on (it asks for more itself)
  }
}
