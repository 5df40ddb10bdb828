package dev.limpet.dataplane.server;

import dev.limpet.dataplane.proxy.FrontendHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameStreamException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When an HTTP/2 connection ends on the proxy's side, with GOAWAY (NO_ERROR, sent by the codec,
 * which then lets the open streams finish): after the client-idle timeout, which the connection's
 * streams cannot keep (no frame either way for the listener's {@code clientIdleMs} and no stream
 * open; a stream that waits for a slow server keeps it open, its own timeouts end that stream), and
 * at once when the data plane drains ({@link FrontendHandler#drain}). A connection error the codec
 * already answered (GOAWAY and close: a flood, a protocol error) is logged at debug here, not as
 * Netty's warning at the pipeline's end, which any client could fill the log with; a stream's error
 * goes on to the stream multiplexer.
 */
final class Http2GoAway extends IdleStateHandler {
  static final String NAME = "h2GoAway";

  private static final Logger LOG = LoggerFactory.getLogger(Http2GoAway.class);

  private final Http2ConnectionHandler codec;

  Http2GoAway(long idleMs, Http2ConnectionHandler codec) {
    super(0, 0, idleMs, TimeUnit.MILLISECONDS);
    this.codec = codec;
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
    if (codec.connection().numActiveStreams() == 0) ctx.close();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof Http2FrameStreamException) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    LOG.debug("HTTP/2 connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    // the codec has sent its GOAWAY (with the error's code) and closes; anything else closes here
    if (!(cause instanceof Http2Exception)) ctx.close();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (FrontendHandler.isDrain(evt)) ctx.close();
    else super.userEventTriggered(ctx, evt);
  }
}
