package dev.limpet.dataplane.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The client-idle timeout of an HTTP/2 connection, which the connection's streams cannot keep: no
 * frame either way for the listener's {@code clientIdleMs} and no stream open, and the connection
 * ends with GOAWAY (NO_ERROR, through the codec). A stream that waits for a slow server keeps it
 * open: its own timeouts end that stream.
 */
final class Http2IdleClose extends IdleStateHandler {
  static final String NAME = "h2Idle";

  private final Http2ConnectionHandler codec;

  Http2IdleClose(long idleMs, Http2ConnectionHandler codec) {
    super(0, 0, idleMs, TimeUnit.MILLISECONDS);
    this.codec = codec;
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
    if (codec.connection().numActiveStreams() == 0) ctx.close();
  }
}
