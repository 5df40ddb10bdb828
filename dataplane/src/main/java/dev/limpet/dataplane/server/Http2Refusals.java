package dev.limpet.dataplane.server;

import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.logging.LogLevel;

/**
 * Counts what the HTTP/2 codec refuses, by error code: the RST_STREAM and GOAWAY frames it sends
 * (REFUSED_STREAM for a stream over the concurrency limit, PROTOCOL_ERROR for a malformed request,
 * ENHANCE_YOUR_CALM for a reset or CONTINUATION flood). The codec writes those frames itself, past
 * the pipeline; its frame logger is the one place that sees each of them. Logs at TRACE as Netty's
 * logger does.
 */
final class Http2Refusals extends Http2FrameLogger {
  private final DataPlaneMetrics metrics;

  Http2Refusals(DataPlaneMetrics metrics) {
    super(LogLevel.TRACE, Http2Refusals.class);
    this.metrics = metrics;
  }

  @Override
  public void logRstStream(
      Direction direction, ChannelHandlerContext ctx, int streamId, long errorCode) {
    if (direction == Direction.OUTBOUND && errorCode != Http2Error.CANCEL.code())
      metrics.http2Refusal("rst_stream", name(errorCode));
    super.logRstStream(direction, ctx, streamId, errorCode);
  }

  @Override
  public void logGoAway(
      Direction direction,
      ChannelHandlerContext ctx,
      int lastStreamId,
      long errorCode,
      ByteBuf debugData) {
    if (direction == Direction.OUTBOUND && errorCode != Http2Error.NO_ERROR.code())
      metrics.http2Refusal("goaway", name(errorCode));
    super.logGoAway(direction, ctx, lastStreamId, errorCode, debugData);
  }

  private static String name(long errorCode) {
    Http2Error error = Http2Error.valueOf(errorCode);
    return error == null ? Long.toString(errorCode) : error.name();
  }
}
