package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.runtime.PortRoutes;
import dev.limpet.dataplane.tls.ListenerTls;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.Locale;

/**
 * The HTTP/2 stream stage after {@link Route}: a client reuses one HTTP/2 connection for every host
 * it believes the connection serves (RFC 9113 §9.1.1 connection reuse, "coalescing"), so a stream
 * may name a host whose virtual service does not speak HTTP/2, or, on TLS, that the connection's
 * certificate was not chosen for: another virtual service's certificate and settings (client
 * certificates, protocols). Such a request becomes {@link Misdirected} and is answered 421 (RFC
 * 9110 §15.5.20), never served by the wrong virtual service (contour#5240). Everything else passes
 * on.
 */
@Sharable
public final class Misdirection extends ChannelInboundHandlerAdapter {
  public static final String NAME = "misdirection";

  private final int port;

  public Misdirection(int port) {
    this.port = port;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof RoutedRequest request && request.routed() && misdirected(ctx, request)) {
      ctx.fireChannelRead(new Misdirected(request));
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private boolean misdirected(ChannelHandlerContext ctx, RoutedRequest request) {
    if (!request.vs().config().http2().enabled()) return true;
    PortRoutes routes = request.config().routes(port);
    ListenerTls tls = routes == null ? null : routes.tls();
    if (tls == null) return false;
    String host = request.head().headers().get(HttpHeaderNames.HOST);
    return host == null
        || !tls.servesOnConnection(
            ctx.channel(), PortRoutes.stripPort(host).toLowerCase(Locale.ROOT));
  }
}
