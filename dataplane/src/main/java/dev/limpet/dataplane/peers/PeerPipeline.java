package dev.limpet.dataplane.peers;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handlers of a peer connection, both sides: frames → heartbeats and dead-peer detection → the
 * handshake, which replaces itself with the link once the peer is authenticated.
 */
final class PeerPipeline {
  static final String FRAMES = "frames";
  static final String LENGTH = "length";
  static final String IDLE = "idle";
  static final String LIVENESS = "liveness";
  static final String LINK = "link";

  private PeerPipeline() {}

  static void init(
      ChannelPipeline pipeline,
      int maxFrameBytes,
      PeerSettings.Timing timing,
      ChannelHandler handshake) {
    pipeline
        .addLast(FRAMES, new LengthFieldBasedFrameDecoder(maxFrameBytes, 0, 4, 0, 4))
        .addLast(LENGTH, new LengthFieldPrepender(4))
        .addLast(
            IDLE,
            new IdleStateHandler(
                timing.deadAfter().toMillis(),
                timing.heartbeat().toMillis(),
                0,
                TimeUnit.MILLISECONDS))
        .addLast(LIVENESS, new Liveness())
        .addLast(LINK, handshake);
  }

  /** Pings when nothing was sent for a heartbeat; closes when nothing came for too long. */
  private static final class Liveness extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Liveness.class);

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
      if (event instanceof IdleStateEvent idle) {
        if (idle.state() == IdleState.WRITER_IDLE) {
          ctx.writeAndFlush(Wire.encode(ctx.alloc(), new PeerMessage.Ping()));
        } else if (idle.state() == IdleState.READER_IDLE) {
          LOG.warn(
              "peer {} sent nothing for too long: closing the link", ctx.channel().remoteAddress());
          ctx.close();
        }
        return;
      }
      super.userEventTriggered(ctx, event);
    }
  }
}
