package dev.limpet.dataplane.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket echo server on its own loopback address: answers each text frame with "name:text". It
 * may put a {@code Set-Cookie} of its own on its 101 (a session an application cookie learns).
 */
public final class WebSocketBackend implements AutoCloseable {
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel channel;
  private final AtomicInteger open = new AtomicInteger();

  public WebSocketBackend(String name, String ip) throws InterruptedException {
    this(name, ip, null);
  }

  /**
   * @param setCookie a {@code Set-Cookie} value its 101 responses carry; null: none
   */
  public WebSocketBackend(String name, String ip, String setCookie) throws InterruptedException {
    channel =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    open.incrementAndGet();
                    ch.closeFuture().addListener(f -> open.decrementAndGet());
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(
                            // the handshaker writes its 101 through the pipeline: add the cookie
                            new ChannelOutboundHandlerAdapter() {
                              @Override
                              public void write(
                                  ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
                                  throws Exception {
                                if (setCookie != null
                                    && msg instanceof HttpResponse response
                                    && response.status().code() == 101)
                                  response.headers().add(HttpHeaderNames.SET_COOKIE, setCookie);
                                super.write(ctx, msg, promise);
                              }
                            })
                        .addLast(new HttpObjectAggregator(65536))
                        .addLast(new WebSocketServerProtocolHandler("/ws"))
                        .addLast(
                            new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                              @Override
                              protected void channelRead0(
                                  ChannelHandlerContext ctx, TextWebSocketFrame frame) {
                                ctx.writeAndFlush(
                                    new TextWebSocketFrame(name + ":" + frame.text()));
                              }
                            });
                  }
                })
            .bind(new InetSocketAddress(ip, 0))
            .sync()
            .channel();
  }

  public String ip() {
    return ((InetSocketAddress) channel.localAddress()).getAddress().getHostAddress();
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** The connections open to this server now. */
  public int openConnections() {
    return open.get();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
