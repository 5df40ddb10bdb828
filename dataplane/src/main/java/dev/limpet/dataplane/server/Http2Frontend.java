package dev.limpet.dataplane.server;

import dev.limpet.contract.Http2Config;
import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import dev.limpet.dataplane.proxy.ConnectionWindow;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns a client connection into an HTTP/2 one, once ALPN chose {@code h2} or the client's first
 * bytes were the HTTP/2 preface: the HTTP/1 stages leave the connection, the frame codec and the
 * stream multiplexer take their place, and each stream gets a channel of its own that runs the same
 * stages as an HTTP/1 connection ({@code streamStages}), so each stream is one exchange: routing,
 * access, DataScripts, persistence. A request without its required pseudo-header fields is reset
 * with PROTOCOL_ERROR by the codec. Connection-level protection is Netty's, set here: SETTINGS
 * (concurrent streams: an excess stream is refused with REFUSED_STREAM; header list size: 431),
 * rapid reset (CVE-2023-44487: more than {@link #MAX_RESETS} RST_STREAM in {@link
 * #RESET_WINDOW_SECONDS} s end the connection with GOAWAY ENHANCE_YOUR_CALM; Netty's server-side
 * default holds the resets the proxy sends to the same limit, counting only error codes other than
 * NO_ERROR and CANCEL, so streams it ends itself after an early answer never count, while a client
 * making it reset streams for errors (CVE-2025-55163) does) and CONTINUATION floods
 * (CVE-2024-27316: a header block longer than the header list limit ends the connection; so do many
 * small CONTINUATION frames).
 */
final class Http2Frontend {

  static final String FLUSHES = "h2Flushes";
  static final String CODEC = "h2Codec";
  static final String MULTIPLEX = "h2Streams";

  /** Resets a client may send in {@link #RESET_WINDOW_SECONDS}: Netty's own default. */
  static final int MAX_RESETS = 200;

  static final int RESET_WINDOW_SECONDS = 30;

  /** Flushes joined at most while the connection reads: Netty's default. */
  private static final int EXPLICIT_FLUSHES =
      FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES;

  private final Http2Config config;
  private final long idleMs;
  private final List<String> http1Stages;
  private final ChannelInitializer<Http2StreamChannel> streams;
  private final DataPlaneMetrics metrics;

  /**
   * @param idleMs how long a connection may stay without an open stream ({@link Http2GoAway})
   * @param http1Stages the names of the HTTP/1 stages the connection leaves
   * @param streamStages adds a stream's stages (after its frame-to-message codec) to its pipeline
   */
  Http2Frontend(
      Http2Config config,
      long idleMs,
      List<String> http1Stages,
      Consumer<ChannelPipeline> streamStages,
      DataPlaneMetrics metrics) {
    this.config = config;
    this.idleMs = idleMs;
    this.http1Stages = http1Stages;
    this.metrics = metrics;
    this.streams =
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(Http2StreamChannel stream) {
            // the stream's window follows what the server takes: read only as the relay asks
            stream.config().setAutoRead(false);
            metrics.http2Stream();
            streamStages.accept(stream.pipeline());
          }
        };
  }

  /** Replaces the HTTP/1 stages after {@code ctx}'s handler with HTTP/2's. */
  void install(ChannelHandlerContext ctx) {
    ChannelPipeline pipeline = ctx.pipeline();
    for (String name : http1Stages) if (pipeline.get(name) != null) pipeline.remove(name);
    Http2FrameCodec codec = codec();
    pipeline
        // a stream's response is written when its server's bytes come, not while this connection
        // reads, so Netty's multiplexer cannot join the streams' flushes: without this, every
        // stream's answer is a socket write of its own; with it, those of one event-loop turn are
        // one
        .addAfter(ctx.name(), FLUSHES, new FlushConsolidationHandler(EXPLICIT_FLUSHES, true))
        .addAfter(FLUSHES, CODEC, codec)
        .addAfter(CODEC, Http2GoAway.NAME, new Http2GoAway(idleMs, codec))
        .addAfter(Http2GoAway.NAME, MULTIPLEX, new Http2MultiplexHandler(streams));
    metrics.http2Connection();
    // a stream not read (a slow server, one held for the first response) must not stop the others
    ConnectionWindow.open(ctx.channel());
    // streams come and go at the client's pace; flow control, not reads, holds each one back
    ctx.channel().config().setAutoRead(true);
  }

  private Http2FrameCodec codec() {
    return new ServerCodecBuilder()
        .initialSettings(
            Http2Settings.defaultSettings()
                .maxConcurrentStreams(config.maxConcurrentStreams())
                .maxHeaderListSize(config.maxHeaderListBytes()))
        .decoderEnforceMaxRstFramesPerWindow(MAX_RESETS, RESET_WINDOW_SECONDS)
        .validateHeaders(true)
        // a request without :method, :scheme or a non-empty :path (CONNECT: without :authority) is
        // malformed: RST_STREAM(PROTOCOL_ERROR) before any stage sees it (RFC 9113 §8.1.1)
        .validateRequiredPseudoHeaders(true)
        .frameLogger(new Http2Refusals(metrics))
        .build();
  }

  /** Netty's server codec builder, with {@link ResetStreamEncoder} around its encoder. */
  private static final class ServerCodecBuilder extends Http2FrameCodecBuilder {
    ServerCodecBuilder() {
      server(true);
      // after our GOAWAY (idle, drain) the open streams finish, each bounded by its own timeouts
      // and a drain by its own; forServer()'s 0 would cut them with the connection
      gracefulShutdownTimeoutMillis(-1);
    }

    @Override
    protected Http2FrameCodec build(
        Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
      return super.build(decoder, new ResetStreamEncoder(encoder), settings);
    }
  }
}
