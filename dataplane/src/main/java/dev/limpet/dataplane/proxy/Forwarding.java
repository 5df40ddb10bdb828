package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.http.ClientAddress;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;

/**
 * The stage that readies an admitted request's head for the next hop: hop-by-hop fields go (the
 * protocol switch of a WebSocket handshake stays), {@code X-Forwarded-For/-Proto/-Port} name the
 * client chain ({@link ForwardedFor}) and the listener, and the head is sent upstream as HTTP/1.1
 * (a request's trailer section is filtered by the proxy handler, which knows the request it ends:
 * {@link TrailerFields}). Requests that will be answered locally (no virtual service, denied) and
 * everything else pass on unchanged. One per client connection: it keeps the texts of the
 * connection's forwarded fields, and the streams of an HTTP/2 connection share it (they run on the
 * connection's event loop).
 */
@Sharable
public final class Forwarding extends ChannelInboundHandlerAdapter {
  public static final String NAME = "forwarding";

  private final ForwardedHeaders forwarded;

  /**
   * @param tls whether the listener is a TLS one ({@code X-Forwarded-Proto: https})
   */
  public Forwarding(boolean tls, int port) {
    this(tls, ForwardedHeaders.portText(port));
  }

  /**
   * @param portText the listener port as {@code X-Forwarded-Port} writes it ({@link #portText}),
   *     made once per listener rather than per connection
   */
  public Forwarding(boolean tls, AsciiString portText) {
    this.forwarded = new ForwardedHeaders(tls, portText);
  }

  /** {@code port} as {@code X-Forwarded-Port} writes it. */
  public static AsciiString portText(int port) {
    return ForwardedHeaders.portText(port);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof RoutedRequest request && request.routed()) {
      HopByHopHeaders.strip(request.head().headers(), request.upgrade());
      InetSocketAddress connection = ClientAddress.of(ctx.channel());
      String chain =
          ForwardedFor.outgoing(
              connection,
              forwarded.text(connection),
              request.vs().trustedProxies(),
              request.head().headers());
      forwarded.add(request.head().headers(), chain);
      request.head().setProtocolVersion(HttpVersion.HTTP_1_1);
    }
    ctx.fireChannelRead(msg);
  }
}
