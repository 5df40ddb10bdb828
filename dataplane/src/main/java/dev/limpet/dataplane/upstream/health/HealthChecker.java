package dev.limpet.dataplane.upstream.health;

import dev.limpet.dataplane.tls.UpstreamTls;
import dev.limpet.dataplane.upstream.Pool;
import dev.limpet.dataplane.upstream.PoolCatalog;
import dev.limpet.dataplane.upstream.Server;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs every pool's health monitors against its servers on a Netty event loop group and sets each
 * server's health. Follows reloads: checks of a server that stays in its pool under an unchanged
 * monitor keep running with their consecutive counts. A server starts healthy, before its first
 * probe.
 */
public final class HealthChecker implements AutoCloseable {
  private final Bootstrap bootstrap;
  private volatile Map<ServerInPool, ServerHealth> servers = Map.of();
  private volatile Map<String, UpstreamTls> tlsByPool = Map.of();
  private boolean closed;

  /**
   * @param group runs the probes; owned by the caller, which shuts it down after {@link #close}
   * @param channelType the client channel of the group's transport ({@code NioSocketChannel} for
   *     {@code NioIoHandler}, {@code EpollSocketChannel} for {@code EpollIoHandler})
   */
  public HealthChecker(EventLoopGroup group, Class<? extends SocketChannel> channelType) {
    this.bootstrap =
        new Bootstrap().group(group).channel(channelType).option(ChannelOption.TCP_NODELAY, true);
  }

  /** Checks the servers of {@code catalog}, all reached in plain text, from now on. */
  public void update(PoolCatalog catalog) {
    update(catalog, Map.of());
  }

  /**
   * Checks the servers of {@code catalog} from now on, keeping what did not change.
   *
   * @param tlsByPool the TLS that reaches each pool's servers; a pool left out is reached in plain
   *     text. Monitors that speak the servers' protocol (Grpc) use it from their next probe.
   */
  public synchronized void update(PoolCatalog catalog, Map<String, UpstreamTls> tlsByPool) {
    if (closed) return;
    this.tlsByPool = Map.copyOf(tlsByPool);
    Map<ServerInPool, ServerHealth> previous = new HashMap<>(servers);
    Map<ServerInPool, ServerHealth> next = new HashMap<>();
    for (Pool pool : catalog.pools()) {
      for (Server server : pool.servers()) {
        ServerInPool id = new ServerInPool(pool.name(), server.key());
        ServerHealth health = previous.remove(id);
        if (health == null) health = new ServerHealth(pool.name(), server, bootstrap, tls(pool));
        health.reconfigure(server, pool.healthMonitors());
        next.put(id, health);
      }
    }
    previous.values().forEach(ServerHealth::stop);
    servers = Map.copyOf(next);
  }

  /**
   * What each monitor of the pool says about this server ({@code ip:port}); empty when the server
   * is unknown or its pool has no monitors.
   */
  public List<MonitorStatus> status(String pool, String serverKey) {
    ServerHealth health = servers.get(new ServerInPool(pool, serverKey));
    return health == null ? List.of() : health.status();
  }

  /** Stops every check. Probes in flight finish on their own and are ignored. */
  @Override
  public synchronized void close() {
    closed = true;
    servers.values().forEach(ServerHealth::stop);
    servers = Map.of();
  }

  private Supplier<UpstreamTls> tls(Pool pool) {
    String name = pool.name();
    return () -> tlsByPool.get(name);
  }

  private record ServerInPool(String pool, String serverKey) {}
}
