package dev.limpet.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * The HTTP codec of a client connection: the strict {@link RequestDecoder}, and a response encoder
 * that knows which response answers a HEAD request (its head may announce a body that must not be
 * sent), as Netty's {@code HttpServerCodec} does with its own, lenient, decoder.
 */
public final class FrontendCodec
    extends CombinedChannelDuplexHandler<RequestDecoder, HttpResponseEncoder> {
  public FrontendCodec(HttpDecoderConfig config) {
    Queue<HttpMethod> methods = new ArrayDeque<>(2);
    init(new RequestDecoder(config, methods), new ResponseEncoder(methods));
  }

  private static final class ResponseEncoder extends HttpResponseEncoder {
    private final Queue<HttpMethod> methods;

    ResponseEncoder(Queue<HttpMethod> methods) {
      this.methods = methods;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
      // an interim response (100, 101) answers the same request as the final one
      HttpMethod method =
          msg.status().codeClass() == HttpStatusClass.INFORMATIONAL ? null : methods.poll();
      return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
    }

    /** A response read by {@link HeadScanner} forwards its fields from the bytes received. */
    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
      if (headers instanceof ReceivedHeaders received) received.writeTo(buf);
      else super.encodeHeaders(headers, buf);
    }
  }
}
