package dev.limpet.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Queue;

/**
 * Netty's request decoder made strict where it is lenient (as of 4.2.7): the version must be
 * exactly {@code HTTP/1.1} or {@code HTTP/1.0} (Netty upper-cases {@code http/1.1} and takes {@code
 * HTTP/2.0} as a version of HTTP/1), a request with both Content-Length and a chunked
 * Transfer-Encoding is refused (Netty drops the Content-Length and goes on), and {@link
 * RequestBytes} refuses obs-fold and chunk sizes Netty would wrap. A refusal is a failed {@code
 * DecoderResult}, after which the rest of the connection's bytes are discarded, as Netty does. The
 * field lines of a well-formed head are read by {@link ScannedHeads} (no object per field); every
 * other head, every request line and every body is read by Netty's code as before.
 */
final class RequestDecoder extends HttpRequestDecoder {
  private final RequestBytes bytes = new RequestBytes();

  /** The method of every decoded request, for the response encoder (HEAD answers have no body). */
  private final Queue<HttpMethod> methods;

  private boolean failed;

  /** Well-formed heads read without an object per field; null when not used. */
  private final ScannedHeads heads;

  /** The previous request's target: the requests of a connection often name the same one. */
  private String target;

  RequestDecoder(HttpDecoderConfig config, Queue<HttpMethod> methods) {
    this(config, methods, true);
  }

  /**
   * @param scanHeads read well-formed heads with {@link HeadScanner} (fields kept as bytes); false
   *     to let Netty's decoder build every field
   */
  RequestDecoder(HttpDecoderConfig config, Queue<HttpMethod> methods, boolean scanHeads) {
    super(config);
    this.methods = methods;
    this.heads = scanHeads ? new ScannedHeads(config.getMaxHeaderSize()) : null;
  }

  @Override
  protected HttpMessage createMessage(String[] initialLine) throws Exception {
    String version = initialLine[2];
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0"))
      throw looksLikeVersion(version)
          ? new FramingException(
              HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "unsupported version " + version)
          : FramingException.badRequest("malformed version");
    ReceivedHeaders fields = heads == null ? null : heads.takeFields();
    if (fields == null) return super.createMessage(initialLine);
    return new DefaultHttpRequest(
        HttpVersion.valueOf(version), HttpMethod.valueOf(initialLine[0]), initialLine[1], fields);
  }

  /** {@code HTTP/d.d} in any case: a version, just not one served here. */
  private static boolean looksLikeVersion(String version) {
    return version.length() == 8
        && version.regionMatches(true, 0, "HTTP/", 0, 5)
        && isDigit(version.charAt(5))
        && version.charAt(6) == '.'
        && isDigit(version.charAt(7));
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  @Override
  protected String splitSecondWordInitialLine(byte[] sb, int start, int length) {
    String same = HeadText.same(target, sb, start, length);
    return same != null ? same : (target = super.splitSecondWordInitialLine(sb, start, length));
  }

  @Override
  protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
    return HeadText.name(sb, start, length);
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    // RFC 9112 section 6.3: a likely smuggling attempt; refused rather than guessed
    throw FramingException.badRequest("both Content-Length and Transfer-Encoding");
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    String problem = bytes.check(in);
    if (problem != null) {
      failed = true;
      in.skipBytes(in.readableBytes());
      out.add(refusal(problem));
      return;
    }
    int start = in.readerIndex();
    int first = out.size();
    ByteBuf line = heads == null ? null : heads.scan(in);
    if (line != null) {
      super.decode(ctx, line, out);
      heads.lineDecoded(in);
    } else {
      super.decode(ctx, in, out);
      if (heads != null && in.readerIndex() != start) heads.decoderRead();
    }
    bytes.consumed(in.readerIndex() - start);
    for (int i = first; i < out.size(); i++) observe((HttpObject) out.get(i));
  }

  private void observe(HttpObject decoded) {
    if (decoded.decoderResult().isFailure()) failed = true;
    if (decoded instanceof HttpRequest request) {
      methods.add(request.method());
      bytes.headDecoded(HttpUtil.isTransferEncodingChunked(request));
    }
    if (decoded instanceof LastHttpContent) {
      bytes.messageDecoded();
      if (heads != null) heads.messageEnded();
    }
  }

  /** A failed message for {@code problem}: a request when in a head, else the body's last part. */
  private HttpObject refusal(String problem) {
    DecoderResult result = DecoderResult.failure(FramingException.badRequest(problem));
    if (bytes.inBody()) {
      LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
      last.setDecoderResult(result);
      return last;
    }
    HttpRequest request =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/bad-request");
    request.setDecoderResult(result);
    methods.add(request.method());
    return request;
  }
}
