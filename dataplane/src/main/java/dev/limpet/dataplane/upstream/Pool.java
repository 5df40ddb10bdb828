package dev.limpet.dataplane.upstream;

import dev.limpet.contract.HealthMonitorConfig;
import dev.limpet.contract.PoolConfig;
import dev.limpet.dataplane.http.ClientRequest;
import dev.limpet.dataplane.persistence.Persistence;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One live pool of a configuration snapshot: its servers, the balancer over them, its persistence
 * and the health monitors its servers must pass. Immutable; the servers' state is live.
 */
public final class Pool {
  private final PoolConfig config;
  private final List<Server> servers;
  private final Map<String, Server> byKey = new HashMap<>();
  private final Map<String, Server> byName = new HashMap<>();
  private final Balancer balancer;
  private final Persistence persistence;
  private final List<HealthMonitorConfig> healthMonitors;
  private volatile HashRing
      ring; // built on the first avi.pool.chash; immutable, so a race is harmless

  /**
   * @param servers in configuration order
   * @param persistence null when the pool has no persistence profile
   * @param healthMonitors the monitors that {@code config} names, resolved
   */
  public Pool(
      PoolConfig config,
      List<Server> servers,
      Balancer balancer,
      Persistence persistence,
      List<HealthMonitorConfig> healthMonitors) {
    this.config = config;
    this.servers = List.copyOf(servers);
    this.balancer = balancer;
    this.persistence = persistence;
    this.healthMonitors = List.copyOf(healthMonitors);
    for (Server s : this.servers) {
      byKey.put(s.key(), s);
      byName.put(s.name(), s);
    }
  }

  public String name() {
    return config.name();
  }

  public PoolConfig config() {
    return config;
  }

  public List<Server> servers() {
    return servers;
  }

  /** The server with this {@code ip:port}, or null. */
  public Server server(String key) {
    return byKey.get(key);
  }

  /** The server with this configured name, or null. */
  public Server serverByName(String name) {
    return byName.get(name);
  }

  /** A server for a request that persistence does not pin, or null when none accepts clients. */
  public Server pick(ClientRequest request) {
    return balancer.pick(request);
  }

  /**
   * The server consistent hashing gives {@code key} ({@code avi.pool.chash}), whatever the pool's
   * own algorithm; null when no server accepts new clients.
   */
  public Server consistentHash(String key) {
    HashRing r = ring;
    if (r == null) ring = r = new HashRing(servers);
    return r.pick(key);
  }

  /** How many servers are up right now (enabled, healthy, not draining, below their limit). */
  public int serversUp() {
    int up = 0;
    for (Server s : servers) if (s.up()) up++;
    return up;
  }

  /** The pool's persistence, or null when it has no profile. */
  public Persistence persistence() {
    return persistence;
  }

  public List<HealthMonitorConfig> healthMonitors() {
    return healthMonitors;
  }

  Balancer balancer() {
    return balancer;
  }

  @Override
  public String toString() {
    return "Pool(" + name() + ")";
  }
}
