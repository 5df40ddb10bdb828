package dev.limpet.dataplane.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames;
import java.util.List;

/**
 * The codec of a stream to an HTTP/2 server: Netty's conversion between stream frames and HTTP
 * objects (connection-specific fields never go out, {@code te} only as {@code trailers}), without
 * the extension fields it adds for its own bookkeeping: the stream id would reach the client, the
 * scheme the request's DataScripts.
 */
final class UpstreamStreamCodec extends Http2StreamFrameToHttpObjectCodec {
  UpstreamStreamCodec() {
    super(false);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, Http2StreamFrame frame, List<Object> out)
      throws Exception {
    super.decode(ctx, frame, out);
    for (Object o : out) {
      if (o instanceof HttpMessage m) m.headers().remove(ExtensionHeaderNames.STREAM_ID.text());
    }
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, HttpObject obj, List<Object> out)
      throws Exception {
    super.encode(ctx, obj, out);
    if (obj instanceof HttpMessage m) m.headers().remove(ExtensionHeaderNames.SCHEME.text());
  }
}
