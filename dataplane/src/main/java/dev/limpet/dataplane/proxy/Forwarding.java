package dev.limpet.dataplane.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The stage that readies an admitted request's head for the next hop: hop-by-hop fields go (the
 * protocol switch of a WebSocket handshake stays), {@code X-Forwarded-For/-Proto/-Port} name the
 * client and the listener, and the head is sent upstream as HTTP/1.1. Requests that will be
 * answered locally (no virtual service, denied) and everything else pass on unchanged. One per
 * client connection: it keeps the texts of the connection's forwarded fields.
 */
public final class Forwarding extends ChannelInboundHandlerAdapter {
  public static final String NAME = "forwarding";

  private final ForwardedHeaders forwarded;

  /**
   * @param tls whether the listener is a TLS one ({@code X-Forwarded-Proto: https})
   */
  public Forwarding(boolean tls, int port) {
    this.forwarded = new ForwardedHeaders(tls, port);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof RoutedRequest request && request.routed()) {
      HopByHopHeaders.strip(request.head().headers(), request.upgrade());
      forwarded.add(request.head().headers(), request.client().client());
      request.head().setProtocolVersion(HttpVersion.HTTP_1_1);
    }
    ctx.fireChannelRead(msg);
  }
}
