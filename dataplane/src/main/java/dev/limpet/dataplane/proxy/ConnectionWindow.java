package dev.limpet.dataplane.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;

/**
 * The receive window of an HTTP/2 connection, to clients and to servers alike: what all its streams
 * may hold unread together, against the 64 KiB each one may. At the protocol's default (also 64
 * KiB) one stream that is not read (a slow peer on the other side, a stream held back) would stop
 * every other stream of the connection; 16 MiB leaves room for each of the default 100 streams and
 * more.
 */
public final class ConnectionWindow {
  static final int BYTES = 16 * 1024 * 1024;

  private ConnectionWindow() {}

  /** Opens {@code connection}'s window from the default to {@link #BYTES}. */
  public static void open(Channel connection) {
    connection.writeAndFlush(
        new DefaultHttp2WindowUpdateFrame(BYTES - Http2CodecUtil.DEFAULT_WINDOW_SIZE));
  }
}
