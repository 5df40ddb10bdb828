package dev.limpet.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * The HTTP codec of an upstream connection: Netty's {@code HttpClientCodec} for what the proxy uses
 * of it (a response to HEAD has no body), with a decoder that refuses a response carrying both
 * Content-Length and a chunked Transfer-Encoding instead of dropping the Content-Length: a server
 * that sends both is broken or hostile, and its connection is not reused.
 */
final class UpstreamCodec
    extends CombinedChannelDuplexHandler<HttpResponseDecoder, HttpRequestEncoder> {
  UpstreamCodec(HttpDecoderConfig config) {
    Queue<HttpMethod> methods = new ArrayDeque<>(2);
    init(new ResponseDecoder(config, methods), new RequestEncoder(methods));
  }

  /**
   * The decoder; its well-formed heads are read by {@link HeadScanner}, so their fields are kept as
   * the bytes received ({@link ReceivedHeaders}).
   */
  private static final class ResponseDecoder extends HttpResponseDecoder {
    private final Queue<HttpMethod> methods;
    private final ScannedHeads heads;

    /** The previous status line's words: a server mostly answers {@code HTTP/1.1 200 OK}. */
    private String version;

    private String code;
    private String reason;

    ResponseDecoder(HttpDecoderConfig config, Queue<HttpMethod> methods) {
      super(config);
      this.methods = methods;
      this.heads = new ScannedHeads(config.getMaxHeaderSize());
    }

    @Override
    protected HttpMessage createMessage(String[] initialLine) {
      ReceivedHeaders fields = heads.takeFields();
      if (fields == null) return super.createMessage(initialLine);
      String version = initialLine[0];
      if (version.equals("HTTP/1.1") || version.equals("HTTP/1.0")) {
        return new DefaultHttpResponse(
            HttpVersion.valueOf(version),
            HttpResponseStatus.valueOf(Integer.parseInt(initialLine[1]), initialLine[2]),
            fields);
      }
      // another version: Netty's strict parse of it (not public) decides
      HttpResponse parsed = (HttpResponse) super.createMessage(initialLine);
      return new DefaultHttpResponse(parsed.protocolVersion(), parsed.status(), fields);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
        throws Exception {
      int start = in.readerIndex();
      int first = out.size();
      ByteBuf line = heads.scan(in);
      if (line != null) {
        super.decode(ctx, line, out);
        heads.lineDecoded(in);
      } else {
        super.decode(ctx, in, out);
        if (in.readerIndex() != start) heads.decoderRead();
      }
      observe(out, first);
      if (out.size() == first + 1 && in.isReadable() && isFinalHead(out.get(first))) {
        // the body's bytes follow in this buffer: decoded now, the head and a whole body go as one
        int body = in.readerIndex();
        super.decode(ctx, in, out);
        if (in.readerIndex() != body) heads.decoderRead();
        observe(out, first + 1);
      }
      if (out.size() == first + 2
          && isFinalHead(out.get(first))
          && out.get(first + 1) instanceof LastHttpContent last
          && last.decoderResult().isSuccess()
          && last.trailingHeaders().isEmpty()) {
        HttpResponse head = (HttpResponse) out.get(first);
        out.set(
            first,
            new DefaultFullHttpResponse(
                head.protocolVersion(),
                head.status(),
                last.content(),
                head.headers(),
                last.trailingHeaders()));
        out.remove(first + 1);
      }
    }

    /**
     * A well-formed head of a final (not 1xx) response without its body: what {@link #decode} sends
     * on with the whole body, when it has it, as one {@link FullHttpResponse} — one message through
     * the proxy and the client's encoder, which writes it as one buffer when the body is small.
     */
    private static boolean isFinalHead(Object decoded) {
      return decoded instanceof HttpResponse head
          && !(decoded instanceof HttpContent)
          && head.decoderResult().isSuccess()
          && head.status().codeClass() != HttpStatusClass.INFORMATIONAL;
    }

    private void observe(List<Object> out, int first) {
      for (int i = first; i < out.size(); i++) {
        if (!(out.get(i) instanceof HttpObject decoded)) continue; // bytes after a switch
        // after a failure the decoder discards the rest; after 101 the bytes are another protocol
        if (decoded.decoderResult().isFailure()
            || (decoded instanceof HttpResponse response
                && response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()))
          heads.stop();
        else if (decoded instanceof LastHttpContent) heads.messageEnded();
      }
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
      // an interim response comes before the final one of the same request
      if (((HttpResponse) msg).status().codeClass() == HttpStatusClass.INFORMATIONAL)
        return super.isContentAlwaysEmpty(msg);
      return HttpMethod.HEAD.equals(methods.poll()) || super.isContentAlwaysEmpty(msg);
    }

    @Override
    protected String splitFirstWordInitialLine(byte[] sb, int start, int length) {
      String same = HeadText.same(version, sb, start, length);
      return same != null ? same : (version = super.splitFirstWordInitialLine(sb, start, length));
    }

    @Override
    protected String splitSecondWordInitialLine(byte[] sb, int start, int length) {
      String same = HeadText.same(code, sb, start, length);
      return same != null ? same : (code = super.splitSecondWordInitialLine(sb, start, length));
    }

    @Override
    protected String splitThirdWordInitialLine(byte[] sb, int start, int length) {
      String same = HeadText.same(reason, sb, start, length);
      return same != null ? same : (reason = super.splitThirdWordInitialLine(sb, start, length));
    }

    @Override
    protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
      return HeadText.name(sb, start, length);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
      throw new IllegalArgumentException("response with both Content-Length and Transfer-Encoding");
    }
  }

  private static final class RequestEncoder extends HttpRequestEncoder {
    private final Queue<HttpMethod> methods;

    RequestEncoder(Queue<HttpMethod> methods) {
      this.methods = methods;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out)
        throws Exception {
      if (msg instanceof HttpRequest request) {
        methods.add(request.method());
        // TE is hop-by-hop: in HTTP/1.1 its sender names it in Connection (RFC 9110 10.1.4)
        HttpHeaders headers = request.headers();
        if (headers.contains(HttpHeaderNames.TE)
            && !headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderNames.TE, true))
          headers.add(HttpHeaderNames.CONNECTION, HttpHeaderNames.TE);
      }
      super.encode(ctx, msg, out);
    }

    /** A request read by {@link HeadScanner} forwards its fields from the bytes received. */
    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
      if (headers instanceof ReceivedHeaders received) received.writeTo(buf);
      else super.encodeHeaders(headers, buf);
    }
  }
}
