package dev.limpet.dataplane.server;

import dev.limpet.dataplane.proxy.FrontendHandler;
import dev.limpet.dataplane.proxy.ProxyContext;
import dev.limpet.dataplane.proxy.RequestHeadTimeout;
import dev.limpet.dataplane.runtime.PortRoutes;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** The pipeline of a client connection, as a list of named steps. */
final class ProxyChannelInitializer extends ChannelInitializer<SocketChannel> {
  /** Room for the method and version around the URI on the request line. */
  private static final int REQUEST_LINE_OVERHEAD = 32;

  private final int port;
  private final ConnectionGuard guard;
  private final ProxyContext context;
  private final dev.limpet.dataplane.runtime.ConfigHolder config;

  ProxyChannelInitializer(
      int port,
      ConnectionGuard guard,
      ProxyContext context,
      dev.limpet.dataplane.runtime.ConfigHolder config) {
    this.port = port;
    this.guard = guard;
    this.context = context;
    this.config = config;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    PortRoutes routes = config.current().routes(port);
    ListenerSettings s = ListenerSettings.of(routes);
    ch.pipeline()
        .addLast(ConnectionGuard.NAME, guard)
        .addLast("clientIdle", new IdleStateHandler(0, 0, s.clientIdleMs(), TimeUnit.MILLISECONDS))
        .addLast(RequestHeadTimeout.NAME, new RequestHeadTimeout(s.headerReadMs()))
        .addLast(
            "httpCodec",
            new HttpServerCodec(
                new HttpDecoderConfig()
                    .setMaxInitialLineLength(s.maxUriBytes() + REQUEST_LINE_OVERHEAD)
                    .setMaxHeaderSize(s.maxHeaderBytes())
                    .setMaxChunkSize(64 * 1024)))
        .addLast(FrontendHandler.NAME, new FrontendHandler(context, port));
  }
}
