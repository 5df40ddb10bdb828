package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.runtime.PortRoutes;
import dev.limpet.dataplane.tls.ListenerTls;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.Locale;

/**
 * The stage after {@link Route} that keeps a request off a connection that must not serve it. On
 * TLS, the SNI name chose the certificate and its settings (client certificates, protocols, ALPN)
 * before any request was read, so a request whose host this listener serves with another
 * certificate or policy ({@link ListenerTls#servesOnConnection}) would reach a virtual service its
 * handshake did not authenticate for: an HTTP/1.1 client that sends one SNI name and another {@code
 * Host} (skipping another service's client certificates), or an HTTP/2 client that reuses a
 * connection for every host it believes the connection serves (RFC 9113 §9.1.1, "coalescing";
 * contour#5240). On HTTP/2 streams, a host whose virtual service does not speak HTTP/2 is
 * misdirected too. Such a request becomes {@link Misdirected} and is answered 421 (RFC 9110
 * §15.5.20); the client retries on a connection of its own. Everything else passes on.
 */
@Sharable
public final class Misdirection extends ChannelInboundHandlerAdapter {
  public static final String NAME = "misdirection";

  private final int port;
  private final boolean http2Stream;

  private Misdirection(int port, boolean http2Stream) {
    this.port = port;
    this.http2Stream = http2Stream;
  }

  /** The stage of an HTTP/1 connection on a TLS port: the certificate rule alone. */
  public static Misdirection forTlsConnection(int port) {
    return new Misdirection(port, false);
  }

  /** The stage of an HTTP/2 stream: its virtual service must speak HTTP/2, and the TLS rule. */
  public static Misdirection forHttp2Stream(int port) {
    return new Misdirection(port, true);
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
    if (http2Stream && !request.vs().config().http2().enabled()) return true;
    PortRoutes routes = request.config().routes(port);
    ListenerTls tls = routes == null ? null : routes.tls();
    if (tls == null) return false;
    String host = request.head().headers().get(HttpHeaderNames.HOST);
    return !tls.servesOnConnection(
        ctx.channel(),
        host == null ? null : PortRoutes.stripPort(host).toLowerCase(Locale.ROOT),
        request.vs().name());
  }
}
