package dev.limpet.dataplane.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames;
import java.util.List;

/**
 * The HTTP/2 stream stage right after the frame-to-message codec: it makes the request head Netty
 * converted from a HEADERS frame read like an HTTP/1.1 one to the stages after it, and refuses what
 * that conversion would leave ambiguous. Netty's codec has already refused (with a stream error)
 * upper-case names, connection-specific fields, a {@code te} other than {@code trailers}, misplaced
 * or unknown pseudo-header fields and a body longer or shorter than its {@code content-length},
 * turned {@code :authority} into Host and joined split {@code cookie} fields with "; " (RFC 9113
 * §8.2.3). Here: the {@code x-http2-*} fields the conversion adds (stream id, scheme) go, so no
 * server ever sees them; and a Host field that names another authority than {@code :authority} is
 * refused (RFC 9113 §8.3.1), as the same two values are merged into one; a {@code :path} longer
 * than the listener's URI limit gets 414, as an HTTP/1.1 request line over it does (the header list
 * limit alone would let it through). A request that ended with its HEADERS frame carries no buffer
 * of its own, as an HTTP/1 head does.
 */
@Sharable
public final class StreamRequests extends ChannelInboundHandlerAdapter {
  public static final String NAME = "streamRequests";

  private final int maxUriBytes;

  /**
   * @param maxUriBytes the listener's URI limit ({@link ListenerSettings#maxUriBytes})
   */
  public StreamRequests(int maxUriBytes) {
    this.maxUriBytes = maxUriBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpRequest whole && whole.content() != Unpooled.EMPTY_BUFFER) {
      // a HEADERS frame that ended the stream: Netty gives it an empty pooled buffer, but the
      // proxy releases a head after the server's connection has sent it (HTTP/1 heads carry no
      // buffer of their own), so the head gets the shared empty one and the pooled one goes now
      FullHttpRequest bodiless = whole.replace(Unpooled.EMPTY_BUFFER);
      whole.release();
      msg = bodiless;
    }
    if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
      // :path is read as ISO-8859-1 (HPACK's octets): one char per byte
      if (request.uri().length() > maxUriBytes)
        request.setDecoderResult(
            DecoderResult.failure(
                new FramingException(
                    HttpResponseStatus.REQUEST_URI_TOO_LONG,
                    ":path longer than " + maxUriBytes + " bytes")));
      HttpHeaders headers = request.headers();
      for (ExtensionHeaderNames extension : ExtensionHeaderNames.values())
        headers.remove(extension.text());
      List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
      if (hosts.size() > 1) {
        if (hosts.stream().distinct().count() > 1)
          request.setDecoderResult(
              DecoderResult.failure(
                  FramingException.badRequest("Host names another authority than :authority")));
        else headers.set(HttpHeaderNames.HOST, hosts.get(0));
      }
    }
    ctx.fireChannelRead(msg);
  }
}
