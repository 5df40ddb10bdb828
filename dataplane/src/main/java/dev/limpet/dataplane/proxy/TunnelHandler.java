package dev.limpet.dataplane.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Relays raw bytes between a client and the server it upgraded with (WebSocket), with the same
 * read-after-write back-pressure as the HTTP relay. The pair lives and dies together.
 */
final class TunnelHandler extends ChannelInboundHandlerAdapter {
  private final Channel peer;

  private TunnelHandler(Channel peer) {
    this.peer = peer;
  }

  /** Turns both HTTP pipelines into a byte tunnel, keeping bytes the codecs already read. */
  static void join(Channel client, Channel upstream) {
    client.pipeline().replace(FrontendHandler.NAME, "tunnel", new TunnelHandler(upstream));
    client.pipeline().remove(RequestClock.NAME);
    client.pipeline().remove(FrontendHandler.CODEC);
    client.pipeline().remove(RequestFraming.NAME);
    upstream.pipeline().replace(UpstreamHandler.NAME, "tunnel", new TunnelHandler(client));
    upstream.pipeline().remove(UpstreamConnectionPool.CODEC);
    client.read();
    upstream.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    peer.writeAndFlush(msg)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (f.isSuccess()) ctx.channel().read();
                  else f.channel().close();
                });
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (peer.isActive())
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    // idle tunnels are normal for WebSockets: the client-idle timeout does not apply
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
