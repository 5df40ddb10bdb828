package dev.limpet.dataplane.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;

/** Counts the reads asked of a channel: with AUTO_READ off, each is one more batch let in. */
final class ReadCounter extends ChannelOutboundHandlerAdapter {
  int reads;

  @Override
  public void read(ChannelHandlerContext ctx) {
    reads++;
    ctx.read();
  }
}
