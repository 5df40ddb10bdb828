package dev.limpet.dataplane.upstream.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.HealthMonitorConfig.GrpcCheck;
import dev.limpet.contract.ServerConfig;
import dev.limpet.dataplane.upstream.Server;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way an HTTP/2 server can answer a Check call other than SERVING, from a scripted Netty
 * HTTP/2 server on 127.0.0.170, and the reason the probe gives; also what it sends.
 */
@Timeout(30)
class GrpcProbeAnswersTest {
  private static final String IP = "127.0.0.170";
  private static EventLoopGroup group;
  private static Channel listener;

  /** The answer the server gives next, by the :authority the probe sends (one per case). */
  private static final Map<String, Consumer<ChannelHandlerContext>> ANSWERS = new HashMap<>();

  private static volatile Http2Headers lastRequest;
  private static volatile String lastMessage;

  @BeforeAll
  static void startServer() throws InterruptedException {
    group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    listener =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(
                            Http2FrameCodecBuilder.forServer().build(),
                            new Http2MultiplexHandler(
                                new ChannelInitializer<Http2StreamChannel>() {
                                  @Override
                                  protected void initChannel(Http2StreamChannel stream) {
                                    stream.pipeline().addLast(new ScriptedAnswer());
                                  }
                                }));
                  }
                })
            .bind(IP, 0)
            .sync()
            .channel();
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    listener.close().sync();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
  }

  static Stream<Arguments> answers() {
    return Stream.of(
        Arguments.of("serving", answer(ok(), "00 00000002 0801", trailers("0")), true, "SERVING"),
        Arguments.of(
            "compressed",
            answer(ok(), "01 00000002 0801", trailers("0")),
            false,
            "malformed gRPC response: the message is compressed, which was not asked for"),
        Arguments.of(
            "truncated",
            answer(ok(), "00 00000003 0801", trailers("0")),
            false,
            "malformed gRPC response: the frame announces 3 bytes, the body carries 2 (a unary"
                + " response is one message)"),
        Arguments.of(
            "undefined",
            answer(ok(), "00 00000002 0807", trailers("0")),
            false,
            "status 7, which grpc.health.v1 does not define"),
        Arguments.of(
            "service-unknown",
            answer(ok(), "00 00000002 0803", trailers("0")),
            false,
            "SERVICE_UNKNOWN"),
        Arguments.of(
            "unimplemented",
            answer(
                ok().set("grpc-status", "12")
                    .set("grpc-message", "Method not found: grpc.health.v1.Health/Check%0A"),
                null,
                null),
            false,
            "grpc-status 12 (UNIMPLEMENTED): Method not found: grpc.health.v1.Health/Check?"),
        Arguments.of(
            "odd-status",
            answer(ok(), "00 00000002 0801", trailers("99")),
            false,
            "grpc-status '99'"),
        Arguments.of(
            "no-grpc-status",
            answer(ok(), "00 00000002 0801", new DefaultHttp2Headers()),
            false,
            "no grpc-status in the trailers"),
        Arguments.of(
            "no-message",
            answer(ok(), null, trailers("0")),
            false,
            "grpc-status 0 without a response message"),
        Arguments.of(
            "no-trailers",
            answer(ok(), "00 00000002 0801", null),
            false,
            "the stream ended without gRPC trailers"),
        Arguments.of(
            "http-404",
            answer(new DefaultHttp2Headers().status("404"), null, null),
            false,
            "HTTP 404"),
        Arguments.of(
            "html",
            answer(
                new DefaultHttp2Headers().status("200").set("content-type", "text/html"),
                null,
                null),
            false,
            "content-type 'text/html', not application/grpc"),
        Arguments.of(
            "oversized",
            answer(ok(), "00 00000401" + "00".repeat(1025), trailers("0")),
            false,
            "malformed gRPC response: more than 1024 bytes of message"),
        Arguments.of(
            "reset",
            (Consumer<ChannelHandlerContext>)
                ctx -> ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM)),
            false,
            "stream reset by the server (REFUSED_STREAM)"),
        Arguments.of("silent", (Consumer<ChannelHandlerContext>) ctx -> {}, false, "timeout"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("answers")
  void eachAnswerHasItsVerdictAndReason(
      String name, Consumer<ChannelHandlerContext> answer, boolean passed, String detail)
      throws Exception {
    ANSWERS.put(name, answer);

    assertThat(probe(name)).isEqualTo(new ProbeResult(passed, detail));
  }

  @Test
  void sendsAPostToTheHealthCheckMethodWithTheGrpcHeadersAndTheService() throws Exception {
    ANSWERS.put("request", answer(ok(), "00 00000002 0801", trailers("0")));

    assertThat(probe("request").passed()).isTrue();
    Http2Headers request = lastRequest;
    assertThat(request.method()).hasToString("POST");
    assertThat(request.scheme()).hasToString("http");
    assertThat(request.path()).hasToString("/grpc.health.v1.Health/Check");
    assertThat(request.authority()).hasToString("request");
    assertThat(request.get("content-type")).hasToString("application/grpc");
    assertThat(request.get("te")).hasToString("trailers");
    // the framed HealthCheckRequest {service: "shop.v1.Cart"}
    assertThat(lastMessage).isEqualTo("000000000e0a0c73686f702e76312e43617274");
  }

  private static ProbeResult probe(String authority) throws Exception {
    Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class);
    GrpcProbe probe =
        new GrpcProbe(
            new ProbeConnector(bootstrap, 1000),
            new GrpcCheck("shop.v1.Cart", authority),
            () -> null);
    InetSocketAddress address = (InetSocketAddress) listener.localAddress();
    Server server =
        new Server(
            new ServerConfig(null, IP, address.getPort(), 1, null, false, null),
            0,
            0,
            System::currentTimeMillis);
    return probe.run(server, group.next()).get(10, TimeUnit.SECONDS);
  }

  private static Http2Headers ok() {
    return new DefaultHttp2Headers().status("200").set("content-type", "application/grpc");
  }

  private static Http2Headers trailers(String grpcStatus) {
    return new DefaultHttp2Headers().set("grpc-status", grpcStatus);
  }

  /**
   * Headers, then the body in hex if any, then trailers if any; whichever comes last ends the
   * stream.
   */
  private static Consumer<ChannelHandlerContext> answer(
      Http2Headers headers, String bodyHex, Http2Headers trailers) {
    return ctx -> {
      boolean bodyLast = trailers == null;
      ctx.write(new DefaultHttp2HeadersFrame(headers, bodyHex == null && trailers == null));
      if (bodyHex != null) {
        ByteBuf body = Unpooled.wrappedBuffer(HexFormat.of().parseHex(bodyHex.replace(" ", "")));
        ctx.write(new DefaultHttp2DataFrame(body, bodyLast));
      }
      if (trailers != null) ctx.write(new DefaultHttp2HeadersFrame(trailers, true));
      ctx.flush();
    };
  }

  /** Reads the request and, at its end, gives the answer scripted for its :authority. */
  private static final class ScriptedAnswer extends ChannelInboundHandlerAdapter {
    private Http2Headers headers;
    private final StringBuilder message = new StringBuilder();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        boolean end = false;
        if (msg instanceof Http2HeadersFrame frame) {
          headers = frame.headers();
          end = frame.isEndStream();
        } else if (msg instanceof Http2DataFrame frame) {
          message.append(io.netty.buffer.ByteBufUtil.hexDump(frame.content()));
          end = frame.isEndStream();
        }
        if (end) {
          lastRequest = headers;
          lastMessage = message.toString();
          ANSWERS.get(headers.authority().toString()).accept(ctx);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
  }
}
