package dev.limpet.dataplane.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.util.concurrent.Future;

/**
 * The first step of a TLS connection: reads what the ClientHello offers to resume, leaves a {@link
 * TlsSession} on the channel, and steps aside (the ClientHello goes on to the TLS handler).
 */
public final class ClientHelloReader extends SslClientHelloHandler<ClientHelloResumption> {
  public static final String NAME = "tls-session";

  private final TicketKeyRing ticketKeys;

  public ClientHelloReader(TicketKeyRing ticketKeys, int maxClientHelloBytes) {
    super(maxClientHelloBytes);
    this.ticketKeys = ticketKeys;
  }

  @Override
  protected Future<ClientHelloResumption> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) {
    // null: not a TLS ClientHello; the TLS handler refuses it
    ClientHelloResumption offered =
        clientHello == null ? ClientHelloResumption.NONE : ClientHelloResumption.parse(clientHello);
    new TlsSession(offered, ticketKeys.current(), ctx.channel()).attachTo(ctx.channel());
    return ctx.executor().newSucceededFuture(offered);
  }

  @Override
  protected void onLookupComplete(ChannelHandlerContext ctx, Future<ClientHelloResumption> done) {
    ctx.pipeline().remove(this);
  }
}
