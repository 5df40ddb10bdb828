package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.http.ClientAddress;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The stage that readies an admitted request's head for the next hop: hop-by-hop fields go (the
 * protocol switch of a WebSocket handshake stays), {@code X-Forwarded-For/-Proto/-Port} name the
 * client chain ({@link ForwardedFor}) and the listener, and the head is sent upstream as HTTP/1.1.
 * Requests that will be answered locally (no virtual service, denied) and everything else pass on
 * unchanged.
 */
@Sharable
public final class Forwarding extends ChannelInboundHandlerAdapter {
  public static final String NAME = "forwarding";

  private final String protocol;
  private final int port;

  /**
   * @param tls whether the listener is a TLS one ({@code X-Forwarded-Proto: https})
   */
  public Forwarding(boolean tls, int port) {
    this.protocol = tls ? "https" : "http";
    this.port = port;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof RoutedRequest request && request.routed()) {
      HopByHopHeaders.strip(request.head().headers(), request.upgrade());
      String chain =
          ForwardedFor.outgoing(
              ClientAddress.of(ctx.channel()),
              request.vs().trustedProxies(),
              request.head().headers());
      ForwardedHeaders.add(request.head().headers(), chain, protocol, port);
      request.head().setProtocolVersion(HttpVersion.HTTP_1_1);
    }
    ctx.fireChannelRead(msg);
  }
}
