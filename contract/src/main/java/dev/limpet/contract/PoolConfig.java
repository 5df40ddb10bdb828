package dev.limpet.contract;

import java.util.List;

/**
 * A pool of servers with its load balancing, health monitors (by name) and optional persistence
 * profile (by name).
 *
 * @param maxConnectionsPerServer open upstream connections per server, 0 = unlimited
 * @param drainPeriodSeconds how long a draining server keeps its persisted clients (default 300)
 */
public record PoolConfig(
    String name,
    LoadBalancingConfig loadBalancing,
    List<ServerConfig> servers,
    List<String> healthMonitors,
    String persistenceProfile,
    int maxConnectionsPerServer,
    int drainPeriodSeconds) {

  public PoolConfig {
    loadBalancing = Defaults.orElse(loadBalancing, LoadBalancingConfig.ROUND_ROBIN);
    servers = Defaults.list(servers);
    healthMonitors = Defaults.list(healthMonitors);
    drainPeriodSeconds = Defaults.positive(drainPeriodSeconds, 300);
  }
}
