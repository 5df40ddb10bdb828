package dev.limpet.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
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

    /** What one response's encoding gives, written part by part with the caller's void promise. */
    private final List<Object> parts = new ArrayList<>(4);

    private final HeadOf head = new HeadOf();

    ResponseEncoder(Queue<HttpMethod> methods) {
      this.methods = methods;
    }

    /**
     * A whole response with a body and no trailers ({@code UpstreamCodec} reads a small one so) is
     * encoded as its head, then its body, each written with the void promise the relay gives. Netty
     * would copy a small body into the head's buffer through two new ByteBuffer views of them, and
     * join two writes' promises with a {@code PromiseCombiner} and two new promises.
     */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
        throws Exception {
      if (!(msg instanceof FullHttpResponse full)
          || !promise.isVoid()
          || !full.content().isReadable()
          || !full.trailingHeaders().isEmpty()) {
        super.write(ctx, msg, promise);
        return;
      }
      ByteBuf body = full.content();
      boolean bodyTaken = false;
      try {
        encode(ctx, head.of(full), parts);
        bodyTaken = true;
        encode(ctx, body, parts); // releases it
        encode(ctx, LastHttpContent.EMPTY_LAST_CONTENT, parts);
      } catch (EncoderException e) {
        throw e;
      } catch (Exception e) {
        throw new EncoderException(e);
      } finally {
        head.of(null);
        if (!bodyTaken) body.release();
        for (int i = 0; i < parts.size(); i++)
          if (parts.get(i) != Unpooled.EMPTY_BUFFER) ctx.write(parts.get(i), promise);
        parts.clear();
      }
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

  /**
   * The head of the whole response being written, as a message without a body: the encoder reads
   * its line and fields, and sanitizes those (the response's own); one per connection.
   */
  private static final class HeadOf implements HttpResponse {
    private FullHttpResponse full;

    HeadOf of(FullHttpResponse response) {
      full = response;
      return this;
    }

    @Override
    public HttpResponseStatus status() {
      return full.status();
    }

    @Override
    @Deprecated
    public HttpResponseStatus getStatus() {
      return full.status();
    }

    @Override
    public HttpResponse setStatus(HttpResponseStatus status) {
      full.setStatus(status);
      return this;
    }

    @Override
    public HttpVersion protocolVersion() {
      return full.protocolVersion();
    }

    @Override
    @Deprecated
    public HttpVersion getProtocolVersion() {
      return full.protocolVersion();
    }

    @Override
    public HttpResponse setProtocolVersion(HttpVersion version) {
      full.setProtocolVersion(version);
      return this;
    }

    @Override
    public HttpHeaders headers() {
      return full.headers();
    }

    @Override
    public DecoderResult decoderResult() {
      return full.decoderResult();
    }

    @Override
    @Deprecated
    public DecoderResult getDecoderResult() {
      return full.decoderResult();
    }

    @Override
    public void setDecoderResult(DecoderResult result) {
      full.setDecoderResult(result);
    }
  }
}
