package dev.limpet.dataplane.server;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DecoratingHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The encoder of a client's HTTP/2 connection, around Netty's: it remembers the streams it reset
 * and sends nothing for frames that still come on them. Netty forgets a stream once it is closed
 * and answers a DATA frame on it with RST_STREAM(STREAM_CLOSED), which its own limit on the resets
 * a server sends (200 in 30 s) counts; but a client whose request body was in flight when the proxy
 * answered early and reset the stream cannot take those frames back, and RFC 9113 §5.1 says an
 * endpoint MUST ignore frames on a stream after it sent RST_STREAM. So a busy, honest client no
 * longer loses its connection to the limit, while the limit still counts every reset that is not
 * such an echo.
 */
final class ResetStreamEncoder extends DecoratingHttp2ConnectionEncoder {
  /** Streams reset last; frames for older ones are answered as Netty answers them. */
  static final int REMEMBERED = 1024;

  private final Map<Integer, Boolean> reset =
      new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
          return size() > REMEMBERED;
        }
      };

  ResetStreamEncoder(Http2ConnectionEncoder delegate) {
    super(delegate);
  }

  @Override
  public ChannelFuture writeRstStream(
      ChannelHandlerContext ctx, int streamId, long errorCode, ChannelPromise promise) {
    if (errorCode == Http2Error.STREAM_CLOSED.code()
        && reset.containsKey(streamId)
        && connection().stream(streamId) == null) return promise.setSuccess();
    reset.put(streamId, Boolean.TRUE);
    return super.writeRstStream(ctx, streamId, errorCode, promise);
  }
}
