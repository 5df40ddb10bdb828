package dev.limpet.dataplane.peers;

import dev.limpet.dataplane.peers.PeerMessage.Ping;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;

/**
 * A handler of peer frames: decodes each frame, hands the message on and releases the frame. Pings
 * (only there to keep the link alive) and frame types of newer versions are skipped; a malformed
 * frame or an unexpected failure goes to {@link #malformed}, a broken connection just closes.
 */
abstract class FrameHandler extends ChannelInboundHandlerAdapter {
  @Override
  public final void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    try {
      PeerMessage message = Wire.decode(frame);
      if (message != null && !(message instanceof Ping) && ctx.channel().isActive())
        handle(ctx, message);
    } catch (IllegalArgumentException e) {
      malformed(ctx, e.getMessage());
    } finally {
      frame.release();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) ctx.close(); // the connection broke: handled where it closes
    else malformed(ctx, String.valueOf(cause.getMessage()));
  }

  /** A message read from the peer; entry frames are valid during this call only. */
  abstract void handle(ChannelHandlerContext ctx, PeerMessage message);

  /** The peer broke the protocol: refuse it or close the link. */
  abstract void malformed(ChannelHandlerContext ctx, String detail);
}
