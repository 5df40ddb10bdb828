package dev.limpet.dataplane.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.HttpConversionUtil;
import java.util.List;

/**
 * The first stage of an HTTP/2 stream from a client, one for every stream of a listener: Netty's
 * frame-to-message codec, with the two common cases done more cheaply. A request's HEADERS become a
 * request head by Netty's conversion and checks ({@code HttpConversionUtil}), made ready for the
 * HTTP/1 stages by {@link StreamRequests} in the same step; a head that ends the stream gets the
 * shared empty buffer instead of a pooled one. A response head (not 100 Continue) is written by
 * {@link Http2ResponseFields}. Everything else (DATA, trailers, whole local answers) is Netty's.
 */
@Sharable
public final class StreamMessages extends Http2StreamFrameToHttpObjectCodec {
  public static final String NAME = "h2StreamCodec";

  private final int maxUriBytes;

  /**
   * @param maxUriBytes the listener's URI limit ({@link ListenerSettings#maxUriBytes})
   */
  public StreamMessages(int maxUriBytes) {
    super(true, true);
    this.maxUriBytes = maxUriBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, Http2StreamFrame frame, List<Object> out)
      throws Exception {
    if (frame instanceof Http2HeadersFrame headersFrame
        && headersFrame.headers().method() != null
        && headersFrame.headers().status() == null) {
      HttpRequest request;
      try {
        request = request(headersFrame);
      } catch (Http2Exception malformed) {
        // Netty's conversion refused the head: a malformed request is a stream error of its type
        // (RFC 9113 §8.1.1, PROTOCOL_ERROR), not the CANCEL that closing the stream would send
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(malformed.error()));
        return;
      }
      out.add(StreamRequests.readied(request, maxUriBytes));
      return;
    }
    super.decode(ctx, frame, out);
  }

  /** What Netty's codec makes of a request's HEADERS, without a pooled buffer for no body. */
  private static HttpRequest request(Http2HeadersFrame frame) throws Exception {
    Http2Headers headers = frame.headers();
    int id = frame.stream() == null ? 0 : frame.stream().id();
    if (frame.isEndStream())
      return HttpConversionUtil.toFullHttpRequest(id, headers, Unpooled.EMPTY_BUFFER, true);
    HttpRequest request = HttpConversionUtil.toHttpRequest(id, headers, true);
    // the conversion drops trailer, which declares the trailer fields that may pass (TrailerFields)
    if (headers.contains(HttpHeaderNames.TRAILER))
      for (CharSequence declared : headers.getAll(HttpHeaderNames.TRAILER))
        request.headers().add(HttpHeaderNames.TRAILER, declared);
    if (!HttpUtil.isContentLengthSet(request))
      request.headers().add(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    return request;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, HttpObject obj, List<Object> out)
      throws Exception {
    if (obj instanceof HttpResponse head
        && !(obj instanceof HttpContent)
        && !HttpResponseStatus.CONTINUE.equals(head.status())) {
      out.add(new DefaultHttp2HeadersFrame(Http2ResponseFields.of(head), false));
      return;
    }
    super.encode(ctx, obj, out);
  }
}
