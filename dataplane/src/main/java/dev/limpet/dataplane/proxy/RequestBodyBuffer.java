package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.runtime.ConfigHolder;
import dev.limpet.dataplane.runtime.PortRoutes;
import dev.limpet.dataplane.runtime.RuntimeConfig;
import dev.limpet.dataplane.runtime.VirtualService;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Holds a request's head back until the first bytes of its body have arrived, for the virtual
 * services whose DataScripts read the body ({@code avi.http.get_req_body}), so that HTTP_REQ can
 * see them: up to the limit (the whole body when shorter), then a {@link BufferedBody} with a copy
 * of those bytes goes on, followed by the head and the held parts, unchanged, and the rest of the
 * body streams as usual. A client that expects {@code 100 Continue} gets it from here. Every other
 * request passes straight through. A body that turns out malformed while held fails its head
 * instead, so the request is refused before any script runs.
 */
public final class RequestBodyBuffer extends ChannelInboundHandlerAdapter {
  public static final String NAME = "requestBodyBuffer";

  /**
   * The first bytes of the next request's body, sent just before that request's head; {@code whole}
   * when they are all of it (its parts follow the head at once, none is still to be read).
   */
  public record BufferedBody(byte[] bytes, boolean whole) {}

  /** How many body bytes to buffer for a request head; 0 to let it stream. */
  private final ToIntFunction<HttpRequest> limits;

  private HttpRequest head;

  /** The parts held; made when a body is first held (most requests are never held). */
  private List<HttpContent> held;

  private int heldBytes;
  private int limit;

  public RequestBodyBuffer(ToIntFunction<HttpRequest> limits) {
    this.limits = limits;
  }

  /**
   * The limits of one listener's stages, made once and shared by its connections: a virtual service
   * whose scripts read the body has as much buffered as {@code scriptLimits.maxScriptBodyBytes} of
   * the configuration the request arrives under; others none.
   */
  public static ToIntFunction<HttpRequest> limitsFor(ConfigHolder config, int port) {
    return head -> limit(config.current(), port, head);
  }

  static int limit(RuntimeConfig config, int port, HttpRequest head) {
    PortRoutes routes = config.routes(port);
    VirtualService vs =
        routes == null ? null : routes.route(head.headers().get(HttpHeaderNames.HOST));
    if (vs == null || vs.scripts() == null || !vs.scripts().readsRequestBody()) return 0;
    return config.config().scriptLimits().maxScriptBodyBytes();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (head == null) {
      if (msg instanceof HttpRequest request
          && !(msg instanceof HttpContent)
          && request.decoderResult().isSuccess()) {
        limit = limits.applyAsInt(request);
        if (limit > 0) {
          head = request;
          if (held == null) held = new ArrayList<>(2);
          if (HttpUtil.is100ContinueExpected(request)) {
            // the client sends the body only when asked: ask now, and the server is not asked
            // again (its own 100 is dropped, as the head no longer expects one)
            request.headers().remove(HttpHeaderNames.EXPECT);
            ctx.writeAndFlush(
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
          }
          return;
        }
      } else if (msg instanceof HttpRequest request
          && msg instanceof LastHttpContent whole
          && request.decoderResult().isSuccess()) {
        // a request decoded whole carries its body
        int max = limits.applyAsInt(request);
        if (max > 0) ctx.fireChannelRead(new BufferedBody(copy(List.of(whole), max), true));
      }
      ctx.fireChannelRead(msg);
      return;
    }
    if (!(msg instanceof HttpContent content)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (content.decoderResult().isFailure()) {
      head.setDecoderResult(DecoderResult.failure(content.decoderResult().cause()));
      content.release();
      releaseHeld();
      release(ctx, false, false);
      return;
    }
    if (held == null) held = new ArrayList<>(2);
    held.add(content);
    heldBytes += content.content().readableBytes();
    boolean last = content instanceof LastHttpContent;
    if (last || heldBytes >= limit) release(ctx, true, last);
  }

  /** Sends on what was held: the buffered bytes (unless failed), the head, the held parts. */
  private void release(ChannelHandlerContext ctx, boolean withBody, boolean whole) {
    HttpRequest request = head;
    head = null;
    List<HttpContent> parts = held == null ? List.of() : new ArrayList<>(held);
    if (held != null) held.clear();
    heldBytes = 0;
    if (withBody) ctx.fireChannelRead(new BufferedBody(copy(parts, limit), whole));
    ctx.fireChannelRead(request);
    for (HttpContent part : parts) ctx.fireChannelRead(part);
  }

  private void releaseHeld() {
    if (held == null) return;
    held.forEach(ReferenceCountUtil::release);
    held.clear();
  }

  /** The first {@code max} bytes of {@code parts}, read without consuming them. */
  private static byte[] copy(List<? extends HttpContent> parts, int max) {
    int size = 0;
    for (HttpContent part : parts) size += part.content().readableBytes();
    byte[] bytes = new byte[Math.min(size, max)];
    int at = 0;
    for (HttpContent part : parts) {
      if (at == bytes.length) break;
      ByteBuf buf = part.content();
      int n = Math.min(buf.readableBytes(), bytes.length - at);
      buf.getBytes(buf.readerIndex(), bytes, at, n);
      at += n;
    }
    return bytes;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (head != null) ReferenceCountUtil.release(head);
    head = null;
    releaseHeld();
    ctx.fireChannelInactive();
  }
}
