package dev.limpet.dataplane.upstream.health;

import dev.limpet.contract.HealthMonitorConfig.GrpcCheck;
import dev.limpet.dataplane.tls.UpstreamTls;
import dev.limpet.dataplane.upstream.Server;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The gRPC health check: one {@code grpc.health.v1.Health/Check} call over HTTP/2, h2c with prior
 * knowledge, or h2 chosen by ALPN when the pool's servers are reached over TLS (with the same
 * certificate checks as the proxy's own connections to them).
 */
final class GrpcProbe implements Probe {
  private final ProbeConnector connector;
  private final GrpcCheck check;
  private final Supplier<UpstreamTls> tls;

  /**
   * @param tls the TLS towards the pool's servers at the time of a probe, null for plain text; read
   *     at each probe so that a reload that changes it applies at once
   */
  GrpcProbe(ProbeConnector connector, GrpcCheck check, Supplier<UpstreamTls> tls) {
    this.connector = connector;
    this.check = check;
    this.tls = tls;
  }

  @Override
  public CompletableFuture<ProbeResult> run(Server server, EventLoop loop) {
    UpstreamTls upstream = tls.get();
    return connector.probe(
        loop,
        server.address(),
        (channel, result) -> {
          if (upstream == null) {
            call(channel, server, "h2c", result);
            return;
          }
          SslHandler ssl = upstream.newHandler(channel.alloc(), server.address(), true);
          channel.pipeline().addLast(ssl, new ConnectionFailures(result));
          ssl.handshakeFuture().addListener(f -> afterHandshake(f, ssl, channel, server, result));
        });
  }

  private void afterHandshake(
      Future<?> handshake,
      SslHandler ssl,
      Channel channel,
      Server server,
      CompletableFuture<ProbeResult> result) {
    if (!handshake.isSuccess()) {
      result.complete(ProbeResult.fail("TLS handshake failed: " + rootMessage(handshake.cause())));
      return;
    }
    String chosen = ssl.applicationProtocol();
    if (!ApplicationProtocolNames.HTTP_2.equals(chosen)) {
      result.complete(
          ProbeResult.fail(
              "the server did not choose h2 by ALPN ("
                  + (chosen == null ? "it chose nothing" : "it chose " + chosen)
                  + ")"));
      return;
    }
    channel.pipeline().remove(ConnectionFailures.class);
    call(channel, server, "h2", result);
  }

  /** Speaks HTTP/2 on {@code channel} and opens the one stream of the call. */
  private void call(
      Channel channel, Server server, String protocol, CompletableFuture<ProbeResult> result) {
    channel
        .pipeline()
        .addLast(
            new Http1ReplyDetector(result, protocol),
            Http2FrameCodecBuilder.forClient().build(),
            new Http2MultiplexHandler(new RefusePushedStreams()),
            new ConnectionFailures(result));
    String authority = check.authority() != null ? check.authority() : server.key();
    String scheme = protocol.equals("h2") ? "https" : "http";
    new Http2StreamChannelBootstrap(channel)
        .handler(new GrpcHealthCall(result, check.service(), authority, scheme))
        .open()
        .addListener(
            (Future<Http2StreamChannel> opened) -> {
              if (!opened.isSuccess()) result.complete(ProbeResult.fail(opened.cause()));
            });
  }

  private static String rootMessage(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  /** Fails the probe when the connection fails or closes before the call has its answer. */
  private static final class ConnectionFailures extends ChannelInboundHandlerAdapter {
    private final CompletableFuture<ProbeResult> result;

    ConnectionFailures(CompletableFuture<ProbeResult> result) {
      this.result = result;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      result.complete(ProbeResult.fail("connection closed before a response"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      result.complete(ProbeResult.fail(cause));
    }
  }

  /** A server may not push to a client that disabled push; close any stream it opens anyway. */
  private static final class RefusePushedStreams extends ChannelInboundHandlerAdapter {
    @Override
    public boolean isSharable() {
      return true;
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
      ctx.channel().close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }
  }
}
