package dev.limpet.dataplane.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames;
import java.util.List;

/**
 * The codec of a stream to an HTTP/2 server: Netty's conversion between stream frames and HTTP
 * objects (connection-specific fields never go out, {@code te} only as {@code trailers}), without
 * the extension fields it adds for its own bookkeeping: the stream id would reach the client, the
 * scheme the request's DataScripts. A response whose one header block ends the stream (a gRPC
 * trailers-only answer, an empty 200) gets the {@code Content-Length} an HTTP/1.1 client needs to
 * know its body ended.
 */
final class UpstreamStreamCodec extends Http2StreamFrameToHttpObjectCodec {
  /** Whether this stream's request is a HEAD: its response's length is not its body's. */
  private boolean head;

  UpstreamStreamCodec() {
    super(false);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, Http2StreamFrame frame, List<Object> out)
      throws Exception {
    super.decode(ctx, frame, out);
    for (Object o : out) {
      if (o instanceof HttpMessage m) m.headers().remove(ExtensionHeaderNames.STREAM_ID.text());
      if (o instanceof FullHttpResponse r && !head && needsLength(r))
        HttpUtil.setContentLength(r, r.content().readableBytes());
    }
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, HttpObject obj, List<Object> out)
      throws Exception {
    if (obj instanceof HttpRequest r) head = HttpMethod.HEAD.equals(r.method());
    super.encode(ctx, obj, out);
    if (obj instanceof HttpMessage m) m.headers().remove(ExtensionHeaderNames.SCHEME.text());
  }

  /** A response that may have a body and says nothing of its length (RFC 9110 8.6). */
  private static boolean needsLength(FullHttpResponse r) {
    int code = r.status().code();
    return code >= 200
        && code != 204
        && code != 304
        && !HttpUtil.isContentLengthSet(r)
        && !HttpUtil.isTransferEncodingChunked(r);
  }
}
