package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.http.ClientAddress;
import dev.limpet.dataplane.http.ClientRequest;
import dev.limpet.dataplane.runtime.PortRoutes;
import dev.limpet.dataplane.runtime.RuntimeConfig;
import dev.limpet.dataplane.runtime.VirtualService;
import dev.limpet.dataplane.tls.TlsSession;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * The routing stage: a well-formed request head becomes a {@link RoutedRequest} under the
 * configuration current when it arrives, with the virtual service of the listener port its Host
 * names (or none), and the request's client: the connection's ({@link ClientAddress}), or the one a
 * trusted proxy names in {@code X-Forwarded-For} ({@link ForwardedFor}). The body bytes {@link
 * RequestBodyBuffer} sends ahead of a head join it. A head that failed to decode, and body parts,
 * pass on unchanged.
 */
public final class Route extends ChannelInboundHandlerAdapter {
  public static final String NAME = "route";

  private final Supplier<RuntimeConfig> config;
  private final int port;
  private RequestBodyBuffer.BufferedBody body;

  public Route(Supplier<RuntimeConfig> config, int port) {
    this.config = config;
    this.port = port;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof RequestBodyBuffer.BufferedBody buffered) {
      body = buffered;
      return;
    }
    if (msg instanceof HttpRequest head) {
      RequestBodyBuffer.BufferedBody buffered = body;
      body = null;
      if (head.decoderResult().isSuccess()) {
        ctx.fireChannelRead(route(head, ctx, buffered));
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  private RoutedRequest route(
      HttpRequest head, ChannelHandlerContext ctx, RequestBodyBuffer.BufferedBody buffered) {
    RuntimeConfig current = config.get();
    PortRoutes routes = current.routes(port);
    VirtualService vs =
        routes == null ? null : routes.route(head.headers().get(HttpHeaderNames.HOST));
    InetSocketAddress client = ClientAddress.of(ctx.channel());
    if (vs != null) client = ForwardedFor.client(client, vs.trustedProxies(), head.headers());
    return new RoutedRequest(
        head,
        head.uri(),
        new ClientRequest(client, head, TlsSession.of(ctx.channel())),
        current,
        vs,
        HttpUtil.isKeepAlive(head),
        HopByHopHeaders.isUpgrade(head.headers()),
        head.protocolVersion().minorVersion() == 0,
        TrailerFields.declared(head.headers()),
        buffered);
  }
}
