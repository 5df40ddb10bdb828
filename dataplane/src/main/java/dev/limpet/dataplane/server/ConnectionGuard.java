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
    } else if (routes.proxySources() == null && closeIfDeniedAtAccept(ctx, routes, client)) {
      return; // on a PROXY listener, the client is known once the header is read
    } else {
      clients.add(ctx.channel());
      ctx.fireChannelActive();
    }
  }

  /** Closes the connection when every virtual service on the port denies {@code client} so. */
  boolean closeIfDeniedAtAccept(
      ChannelHandlerContext ctx, PortRoutes routes, java.net.InetAddress client) {
    if (!routes.closesAtAccept(client)) return false;
    LOG.info("client {} denied on port {}: connection closed", client.getHostAddress(), port);
    metrics.denied(deniedAtAccept(routes));
    ctx.close();
    return true;
  }

  /**
   * Whose denial a connection closed at accept counts as: the port's only virtual service, or the
   * port itself ({@code port:<n>}) when several share it, since the Host that would pick one of
   * them is never read.
   */
  private String deniedAtAccept(PortRoutes routes) {
    var services = routes.services();
    return services.size() == 1 ? services.get(0).name() : "port:" + port;
  }

  /** Client connections open on this listener now. */
  int open() {
    return open.get();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    open.decrementAndGet();
    ctx.fireChannelInactive();
  }
}
