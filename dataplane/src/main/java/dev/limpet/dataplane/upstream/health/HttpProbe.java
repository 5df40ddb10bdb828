package dev.limpet.dataplane.upstream.health;

import dev.limpet.contract.HealthMonitorConfig.HttpCheck;
import dev.limpet.dataplane.upstream.Server;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one HTTP/1.1 request ({@code Connection: close}) and passes when the response status is one
 * the monitor expects. Only the status line counts; the body is not read.
 */
final class HttpProbe implements Probe {
  private final ProbeConnector connector;
  private final HttpCheck check;
  private final ExpectedStatus expected;

  HttpProbe(ProbeConnector connector, HttpCheck check) {
    this.connector = connector;
    this.check = check;
    this.expected = new ExpectedStatus(check.expectedStatus());
  }

  @Override
  public CompletableFuture<ProbeResult> run(Server server, EventLoop loop) {
    return connector.probe(
        loop,
        server.address(),
        (channel, result) -> {
          channel
              .pipeline()
              .addLast(new HttpClientCodec(), new StatusReader(result))
              .writeAndFlush(request(server));
        });
  }

  private FullHttpRequest request(Server server) {
    FullHttpRequest request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.valueOf(check.method()), check.path());
    request
        .headers()
        .set(HttpHeaderNames.HOST, check.host() != null ? check.host() : server.key())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
        .set(HttpHeaderNames.USER_AGENT, "limpet-health-monitor");
    return request;
  }

  /** Completes the probe with the first response's status, or with why none came. */
  private final class StatusReader extends ChannelInboundHandlerAdapter {
    private final CompletableFuture<ProbeResult> result;

    StatusReader(CompletableFuture<ProbeResult> result) {
      this.result = result;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof HttpResponse response) result.complete(verdict(response));
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      result.complete(ProbeResult.fail("connection closed before a response"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      result.complete(ProbeResult.fail(cause));
    }

    private ProbeResult verdict(HttpResponse response) {
      if (response.decoderResult().isFailure()) return ProbeResult.fail("malformed HTTP response");
      int code = response.status().code();
      return expected.matches(code)
          ? ProbeResult.pass("HTTP " + code)
          : ProbeResult.fail("HTTP " + code);
    }
  }
}
