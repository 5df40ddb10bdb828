package dev.limpet.dataplane.upstream;

import dev.limpet.contract.DataPlaneConfig;
import dev.limpet.contract.HealthMonitorConfig;
import dev.limpet.contract.PoolConfig;
import dev.limpet.contract.ServerConfig;
import dev.limpet.dataplane.persistence.Persistence;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Every pool of one configuration snapshot, by name. Built from the previous catalog so that a
 * reload keeps what did not change: a server whose key stays in its pool keeps its health and
 * counters, an unchanged server keeps its object, and a pool whose servers and load balancing did
 * not change keeps its balancer (and so the round-robin position or hash ring).
 */
public final class PoolCatalog {
  public static final PoolCatalog EMPTY = new PoolCatalog(Map.of());

  private final Map<String, Pool> pools;

  private PoolCatalog(Map<String, Pool> pools) {
    this.pools = pools;
  }

  /**
   * The pools of {@code config}, reusing what {@code previous} has.
   *
   * @param config a validated configuration: every monitor a pool names exists
   * @param persistenceFor makes the persistence of a pool that names a profile; called once per
   *     such pool and build (the factory decides whether to reuse its tables)
   * @param clock milliseconds, {@code System::currentTimeMillis} outside tests
   */
  public static PoolCatalog build(
      DataPlaneConfig config,
      PoolCatalog previous,
      Function<PoolConfig, Persistence> persistenceFor,
      LongSupplier clock) {
    Map<String, HealthMonitorConfig> monitors = new LinkedHashMap<>();
    config.healthMonitors().forEach(m -> monitors.put(m.name(), m));
    Map<String, Pool> pools = new LinkedHashMap<>();
    for (PoolConfig pc : config.pools()) {
      Persistence persistence = pc.persistenceProfile() == null ? null : persistenceFor.apply(pc);
      pools.put(
          pc.name(),
          pool(pc, previous.pool(pc.name()), persistence, monitorsOf(pc, monitors), clock));
    }
    return new PoolCatalog(pools);
  }

  /** The pool with this name, or null. */
  public Pool pool(String name) {
    return pools.get(name);
  }

  /** Every pool, in configuration order. */
  public Collection<Pool> pools() {
    return pools.values();
  }

  private static Pool pool(
      PoolConfig config,
      Pool previous,
      Persistence persistence,
      List<HealthMonitorConfig> monitors,
      LongSupplier clock) {
    if (previous != null
        && previous.config().equals(config)
        && previous.persistence() == persistence
        && previous.healthMonitors().equals(monitors)) return previous;
    List<Server> servers = servers(config, previous, clock);
    boolean sameBalancing =
        previous != null
            && previous.config().loadBalancing().equals(config.loadBalancing())
            && sameObjects(previous.servers(), servers);
    Balancer balancer =
        sameBalancing ? previous.balancer() : Balancers.create(config.loadBalancing(), servers);
    return new Pool(config, servers, balancer, persistence, monitors);
  }

  private static List<Server> servers(PoolConfig config, Pool previous, LongSupplier clock) {
    int maxConnections = config.maxConnectionsPerServer();
    long drainMillis = config.drainPeriodSeconds() * 1000L;
    boolean sameLimits =
        previous != null
            && previous.config().maxConnectionsPerServer() == maxConnections
            && previous.config().drainPeriodSeconds() == config.drainPeriodSeconds();
    List<Server> servers = new ArrayList<>();
    for (ServerConfig sc : config.servers()) {
      Server old = previous == null ? null : previous.server(sc.key());
      if (old == null) servers.add(new Server(sc, maxConnections, drainMillis, clock));
      else if (sameLimits && old.config().equals(sc)) servers.add(old);
      else servers.add(old.reconfigured(sc, maxConnections, drainMillis));
    }
    return servers;
  }

  private static List<HealthMonitorConfig> monitorsOf(
      PoolConfig pool, Map<String, HealthMonitorConfig> monitors) {
    List<HealthMonitorConfig> resolved = new ArrayList<>();
    for (String name : pool.healthMonitors()) {
      HealthMonitorConfig m = monitors.get(name);
      if (m == null)
        throw new IllegalArgumentException(
            "pool " + pool.name() + " names health monitor '" + name + "', which does not exist");
      resolved.add(m);
    }
    return resolved;
  }

  private static boolean sameObjects(List<Server> a, List<Server> b) {
    if (a.size() != b.size()) return false;
    for (int i = 0; i < a.size(); i++) if (a.get(i) != b.get(i)) return false;
    return true;
  }
}
