package dev.limpet.dataplane.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.DefaultHttp2LocalFlowController;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;

/**
 * The receive window of an HTTP/2 connection, to clients and to servers alike: what all its streams
 * may hold unread together, against the 64 KiB each one may. At the protocol's default (also 64
 * KiB) one stream that is not read (a slow peer on the other side, a stream held back) would stop
 * every other stream of the connection; 16 MiB leaves room for each of the default 100 streams and
 * more. What the streams read goes back to the peer in steps of {@link #RETURN_STEP} (Netty's
 * default waits for half the window: 8 MiB read and not yet returned would narrow the window as
 * much as unread streams do).
 */
public final class ConnectionWindow {
  static final int BYTES = 16 * 1024 * 1024;

  /** Bytes read before they are returned to the peer with a WINDOW_UPDATE, at most. */
  static final int RETURN_STEP = 1024 * 1024;

  /**
   * Streams whose full windows (the default 64 KiB each) fit in the connection's, beside what is
   * read and not yet returned: a connection to a server carries no more at once (240), so streams
   * whose clients stopped reading hold at most that and never freeze the others.
   */
  static final int STREAMS = (BYTES - RETURN_STEP) / Http2CodecUtil.DEFAULT_WINDOW_SIZE;

  private ConnectionWindow() {}

  /**
   * Opens {@code connection}'s window from the default to {@link #BYTES}; its pipeline has the
   * frame codec.
   */
  public static void open(Channel connection) {
    Http2Connection h2 = connection.pipeline().get(Http2FrameCodec.class).connection();
    try {
      ((DefaultHttp2LocalFlowController) h2.local().flowController())
          .windowUpdateRatio(h2.connectionStream(), 1f - (float) RETURN_STEP / BYTES);
    } catch (Http2Exception e) {
      throw new IllegalStateException("the connection window's update ratio was refused", e);
    }
    connection.writeAndFlush(
        new DefaultHttp2WindowUpdateFrame(BYTES - Http2CodecUtil.DEFAULT_WINDOW_SIZE));
  }
}
