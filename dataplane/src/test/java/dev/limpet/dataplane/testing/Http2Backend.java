package dev.limpet.dataplane.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/2 server on a 127.0.0.x address, h2c with prior knowledge or h2 over TLS (ALPN), with
 * Netty's frame codec so a test controls every frame; it sets no limit of concurrent streams.
 * Paths: {@code /trailers} answers in two DATA frames and a trailer block ({@code grpc-status: 0},
 * {@code x-checksum: 42}); {@code /goaway-once} answers its first request with a GOAWAY that leaves
 * the stream unprocessed, later ones normally; {@code /refuse-once} refuses its first stream
 * (RST_STREAM REFUSED_STREAM) on its HEADERS frame, later ones are answered; {@code /big} answers 1
 * MiB in 16 KiB DATA frames, written as the stream's window allows; anything else with {@code
 * <name> <method> <path> te=<te> body=<bytes>}.
 */
public final class Http2Backend implements AutoCloseable {
  private static final int BIG_FRAMES = 64;
  private final String name;
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger blockedStreams = new AtomicInteger();
  private final AtomicBoolean goneAway = new AtomicBoolean();
  private final AtomicBoolean refused = new AtomicBoolean();
  private final boolean refusesAll;
  private final List<ChannelHandlerContext> longStreams = new CopyOnWriteArrayList<>();

  /** The request heads received, each as its field map (pseudo-fields included). */
  public final List<Map<String, String>> heads = new CopyOnWriteArrayList<>();

  private Http2Backend(String name, String ip, SslContext tls, boolean refusesAll)
      throws InterruptedException {
    this.name = name;
    this.refusesAll = refusesAll;
    this.server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    connections.incrementAndGet();
                    if (tls != null) ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                    ch.pipeline()
                        .addLast(
                            Http2FrameCodecBuilder.forServer()
                                // Netty's own default is 100; the protocol's is no limit
                                .initialSettings(
                                    Http2Settings.defaultSettings()
                                        .maxConcurrentStreams(Http2CodecUtil.MAX_UNSIGNED_INT))
                                .build())
                        .addLast(
                            new Http2MultiplexHandler(
                                new ChannelInitializer<Http2StreamChannel>() {
                                  @Override
                                  protected void initChannel(Http2StreamChannel stream) {
                                    stream.pipeline().addLast(new StreamHandler());
                                  }
                                }));
                  }
                })
            .bind(new InetSocketAddress(ip, 0))
            .sync()
            .channel();
  }

  /** h2c with prior knowledge. */
  public static Http2Backend plain(String name, String ip) throws InterruptedException {
    return new Http2Backend(name, ip, null, false);
  }

  /** h2c with prior knowledge, refusing every stream with RST_STREAM REFUSED_STREAM. */
  public static Http2Backend refusing(String name, String ip) throws InterruptedException {
    return new Http2Backend(name, ip, null, true);
  }

  /** h2 over TLS, chosen by ALPN; the certificate is self-signed. */
  public static Http2Backend tls(String name, String ip) throws Exception {
    var identity = dev.limpet.testsupport.TestPki.selfSigned("backend.internal");
    SslContext context =
        SslContextBuilder.forServer(identity.keys().getPrivate(), identity.certificate())
            .applicationProtocolConfig(
                new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    ApplicationProtocolNames.HTTP_2))
            .build();
    return new Http2Backend(name, ip, context, false);
  }

  public String ip() {
    return ((InetSocketAddress) server.localAddress()).getAddress().getHostAddress();
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Sends {@code text} as one more DATA frame on every open {@code /forever} stream. */
  public void sendOnLongStreams(String text) {
    for (ChannelHandlerContext ctx : longStreams)
      ctx.executor()
          .execute(
              () ->
                  ctx.writeAndFlush(
                      new DefaultHttp2DataFrame(
                          Unpooled.copiedBuffer(
                              text, java.nio.charset.StandardCharsets.US_ASCII))));
  }

  /** {@code /big} streams whose answer waits for the client's window now. */
  public int blockedStreams() {
    return blockedStreams.get();
  }

  /** TCP connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  /** Requests answered so far. */
  public int requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** One stream: the request's head and body, then the answer its path asks for. */
  private final class StreamHandler extends ChannelInboundHandlerAdapter {
    private Http2Headers head;
    private int bigFramesLeft;
    private boolean blocked;
    private final ByteBuf body = Unpooled.buffer();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        boolean end = false;
        if (msg instanceof Http2HeadersFrame h) {
          if (head == null) head = h.headers();
          end = h.isEndStream();
          if (refuses(head.path().toString())) {
            // as a server at its limit would, before it reads anything of the request
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM));
            return;
          }
        } else if (msg instanceof Http2DataFrame d) {
          body.writeBytes(d.content());
          end = d.isEndStream();
        }
        if (end) answer(ctx);
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    private boolean refuses(String path) {
      return refusesAll || (path.equals("/refuse-once") && refused.compareAndSet(false, true));
    }

    private void answer(ChannelHandlerContext ctx) {
      Map<String, String> fields = new ConcurrentHashMap<>();
      head.forEach(f -> fields.put(f.getKey().toString(), f.getValue().toString()));
      heads.add(fields);
      String path = head.path().toString();
      if (path.equals("/goaway-once") && goneAway.compareAndSet(false, true)) {
        // the last stream processed is the one before this: the client must take it as unsent
        Channel parent = ctx.channel().parent();
        int lastProcessed = Math.max(0, ((Http2StreamChannel) ctx.channel()).stream().id() - 2);
        Http2FrameCodec codec = parent.pipeline().get(Http2FrameCodec.class);
        ChannelHandlerContext codecContext = parent.pipeline().context(codec);
        parent
            .eventLoop()
            .execute(
                () -> {
                  codec.goAway(
                      codecContext,
                      lastProcessed,
                      Http2Error.NO_ERROR.code(),
                      Unpooled.EMPTY_BUFFER,
                      codecContext.newPromise());
                  codecContext.flush();
                });
        return;
      }
      requests.incrementAndGet();
      Http2Headers response = new DefaultHttp2Headers().status("200");
      if (path.equals("/forever")) {
        ctx.write(new DefaultHttp2HeadersFrame(response));
        ctx.writeAndFlush(new DefaultHttp2DataFrame(text("open")));
        longStreams.add(ctx);
        return;
      }
      if (path.equals("/big")) {
        // many times a stream's window: a stream whose client does not read holds all of it
        ctx.write(new DefaultHttp2HeadersFrame(response));
        bigFramesLeft = BIG_FRAMES;
        writeBig(ctx);
        return;
      }
      if (path.equals("/trailers")) {
        ctx.write(new DefaultHttp2HeadersFrame(response.add("content-type", "text/plain")));
        ctx.write(new DefaultHttp2DataFrame(text("chunk-1 ")));
        ctx.write(new DefaultHttp2DataFrame(text("chunk-2")));
        ctx.writeAndFlush(
            new DefaultHttp2HeadersFrame(
                new DefaultHttp2Headers().add("grpc-status", "0").add("x-checksum", "42"), true));
        return;
      }
      CharSequence te = head.get("te");
      String text =
          "%s %s %s te=%s body=%d".formatted(name, head.method(), path, te, body.readableBytes());
      ctx.write(new DefaultHttp2HeadersFrame(response.addInt("content-length", text.length())));
      ctx.writeAndFlush(new DefaultHttp2DataFrame(text(text), true));
    }

    /** The next frames of {@code /big}, as far as the stream's window lets them go out. */
    private void writeBig(ChannelHandlerContext ctx) {
      while (bigFramesLeft > 0 && ctx.channel().isWritable())
        ctx.write(new DefaultHttp2DataFrame(text("x".repeat(16 * 1024)), --bigFramesLeft == 0));
      ctx.flush();
      if (blocked != bigFramesLeft > 0) {
        blocked = !blocked; // a write may have come back here already: count changes only
        blockedStreams.addAndGet(blocked ? 1 : -1);
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (bigFramesLeft > 0) writeBig(ctx);
    }

    private ByteBuf text(String s) {
      return ByteBufUtil.writeAscii(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, s);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      body.release();
    }
  }
}
