package dev.limpet.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A pool of servers with its load balancing, health monitors (by name) and optional persistence
 * profile (by name).
 *
 * @param maxConnectionsPerServer open upstream connections per server, 0 = unlimited
 * @param drainPeriodSeconds how long a draining server keeps its persisted clients (default 300)
 * @param tunnelDrainSeconds how long a tunnel (an upgraded connection, WebSocket) to a server that
 *     drains, is disabled or leaves the pool stays open before the proxy closes it; 0 (absent) =
 *     {@code drainPeriodSeconds}, so that by default a drained server is rid of all its clients at
 *     the same time; it also bounds a long-lived stream (a gRPC stream, any response still
 *     streaming from an HTTP/2 server) to such a server
 * @param protocol what the proxy speaks to the servers; null = {@link ServerProtocol#Http1}
 */
public record PoolConfig(
    String name,
    LoadBalancingConfig loadBalancing,
    List<ServerConfig> servers,
    List<String> healthMonitors,
    String persistenceProfile,
    int maxConnectionsPerServer,
    int drainPeriodSeconds,
    int tunnelDrainSeconds,
    // left out of documents while it is HTTP/1.1, so data planes older than it read them
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = ServerProtocol.IsHttp1.class)
        ServerProtocol protocol) {

  /** The largest {@code tunnelDrainSeconds}: a day. */
  public static final int TUNNEL_DRAIN_MAX = 86_400;

  public PoolConfig {
    loadBalancing = Defaults.orElse(loadBalancing, LoadBalancingConfig.ROUND_ROBIN);
    servers = Defaults.list(servers);
    healthMonitors = Defaults.list(healthMonitors);
    drainPeriodSeconds = Defaults.positive(drainPeriodSeconds, 300);
    if (tunnelDrainSeconds == 0) tunnelDrainSeconds = drainPeriodSeconds;
    protocol = Defaults.orElse(protocol, ServerProtocol.Http1);
  }

  /** A pool that speaks HTTP/1.1 to its servers. */
  public PoolConfig(
      String name,
      LoadBalancingConfig loadBalancing,
      List<ServerConfig> servers,
      List<String> healthMonitors,
      String persistenceProfile,
      int maxConnectionsPerServer,
      int drainPeriodSeconds,
      int tunnelDrainSeconds) {
    this(
        name,
        loadBalancing,
        servers,
        healthMonitors,
        persistenceProfile,
        maxConnectionsPerServer,
        drainPeriodSeconds,
        tunnelDrainSeconds,
        null);
  }

  /** A pool whose tunnels drain for {@code drainPeriodSeconds}, the default. */
  public PoolConfig(
      String name,
      LoadBalancingConfig loadBalancing,
      List<ServerConfig> servers,
      List<String> healthMonitors,
      String persistenceProfile,
      int maxConnectionsPerServer,
      int drainPeriodSeconds) {
    this(
        name,
        loadBalancing,
        servers,
        healthMonitors,
        persistenceProfile,
        maxConnectionsPerServer,
        drainPeriodSeconds,
        0);
  }
}
