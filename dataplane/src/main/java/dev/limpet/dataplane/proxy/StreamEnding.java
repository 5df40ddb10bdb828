package dev.limpet.dataplane.proxy;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends an HTTP/2 stream whose answer is whole, where an HTTP/1 connection would close after it.
 * Closing the stream's channel at once would reset the stream with CANCEL, which drops the part of
 * the answer still waiting for the client's flow-control window, and tells a client whose request
 * body is still coming that its request failed. So this stage, right after the stream's codec,
 * remembers the stream's last write and, once it is sent, ends the stream as RFC 9113 §8.1 asks:
 * with RST_STREAM(NO_ERROR) when the client is still sending (the answer stands, the rest of the
 * request is not wanted), with nothing more when both sides have ended. A client that does not open
 * its window within the client-idle timeout gets the stream reset with CANCEL.
 */
public final class StreamEnding extends ChannelOutboundHandlerAdapter {
  public static final String NAME = "streamEnding";

  private final long boundMs;
  private ChannelHandlerContext ctx;
  private ChannelFuture lastWrite;

  /**
   * @param boundMs how long the answer may wait for the client's window (its client-idle time)
   */
  public StreamEnding(long boundMs) {
    this.boundMs = boundMs;
  }

  static StreamEnding of(ChannelPipeline stream) {
    return (StreamEnding) stream.get(NAME);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    // a void promise cannot be listened to; unvoid keeps its failures going to exceptionCaught
    ChannelPromise tracked = promise.unvoid();
    lastWrite = tracked;
    ctx.write(msg, tracked);
  }

  /** Ends the stream once what was written to it is sent (flushes it). */
  void afterWrites() {
    ctx.flush();
    ChannelFuture last = lastWrite;
    if (last == null || last.isDone()) {
      end();
      return;
    }
    ScheduledFuture<?> bound = ctx.executor().schedule(this::cut, boundMs, TimeUnit.MILLISECONDS);
    last.addListener(
        f -> {
          bound.cancel(false);
          end();
        });
  }

  private void end() {
    Http2StreamChannel stream = (Http2StreamChannel) ctx.channel();
    if (stream.isActive() && stream.stream().state() == Http2Stream.State.HALF_CLOSED_LOCAL)
      ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.NO_ERROR))
          .addListener(ChannelFutureListener.CLOSE);
    else cut(); // ended both ways: closes quietly; else our side never ended: CANCEL
  }

  private void cut() {
    ctx.close();
  }
}
