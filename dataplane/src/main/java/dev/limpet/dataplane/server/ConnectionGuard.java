package dev.limpet.dataplane.server;

import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import dev.limpet.dataplane.runtime.ConfigHolder;
import dev.limpet.dataplane.runtime.PortRoutes;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of a client connection: enforces the listener's connection limit and closes, before
 * a byte is read, a client that every virtual service on the port refuses with a close.
 */
@ChannelHandler.Sharable
final class ConnectionGuard extends ChannelInboundHandlerAdapter {
  static final String NAME = "guard";
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
  private final int port;
  private final ConfigHolder config;
  private final DataPlaneMetrics metrics;
  private final AtomicInteger open = new AtomicInteger();
  private final ChannelGroup clients;

  ConnectionGuard(int port, ConfigHolder config, DataPlaneMetrics metrics, ChannelGroup clients) {
    this.port = port;
    this.config = config;
    this.metrics = metrics;
    this.clients = clients;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    int n = open.incrementAndGet();
    PortRoutes routes = config.current().routes(port);
    var client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    if (routes == null) {
      ctx.close();
    } else if (n > routes.maxConnections()) {
      LOG.warn(
          "listener port {} is at its connection limit ({}): closing a new connection from {}",
          port,
          routes.maxConnections(),
          client.getHostAddress());
      metrics.refusedConnection("limit");
      ctx.close();
    } else if (routes.closesAtAccept(client)) {
      LOG.info("client {} denied on port {}: connection closed", client.getHostAddress(), port);
      routes.services().forEach(vs -> metrics.denied(vs.name()));
      ctx.close();
    } else {
      clients.add(ctx.channel());
      ctx.fireChannelActive();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    open.decrementAndGet();
    ctx.fireChannelInactive();
  }
}
