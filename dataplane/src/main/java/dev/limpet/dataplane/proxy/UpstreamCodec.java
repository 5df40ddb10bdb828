package dev.limpet.dataplane.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpStatusClass;
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

  private static final class ResponseDecoder extends HttpResponseDecoder {
    private final Queue<HttpMethod> methods;

    /** The previous status line's words: a server mostly answers {@code HTTP/1.1 200 OK}. */
    private String version;

    private String code;
    private String reason;

    ResponseDecoder(HttpDecoderConfig config, Queue<HttpMethod> methods) {
      super(config);
      this.methods = methods;
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
  }
}
