package dev.limpet.dataplane.runtime;

import dev.limpet.dataplane.config.DataPlaneConfig;
import dev.limpet.dataplane.config.VirtualServiceConfig;
import dev.limpet.dataplane.upstream.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One applied configuration version, immutable: what a request reads, once, when it starts. Built
 * off the event loops and swapped in whole.
 */
public final class RuntimeConfig {
  private final DataPlaneConfig config;
  private final Map<String, Pool> pools;
  private final Map<Integer, PortRoutes> routesByPort;

  private RuntimeConfig(
      DataPlaneConfig config, Map<String, Pool> pools, Map<Integer, PortRoutes> routesByPort) {
    this.config = config;
    this.pools = pools;
    this.routesByPort = routesByPort;
  }

  /** Composes a validated configuration with its live pools (one per pool name). */
  public static RuntimeConfig of(DataPlaneConfig config, Map<String, Pool> pools) {
    Map<Integer, List<VirtualService>> byPort = new HashMap<>();
    for (VirtualServiceConfig vs : config.virtualServices()) {
      byPort
          .computeIfAbsent(vs.port(), p -> new ArrayList<>())
          .add(new VirtualService(vs, pools.get(vs.pool()), AccessPolicy.of(vs.networkSecurity())));
    }
    Map<Integer, PortRoutes> routes = new HashMap<>();
    byPort.forEach((port, services) -> routes.put(port, new PortRoutes(services)));
    return new RuntimeConfig(config, Map.copyOf(pools), Map.copyOf(routes));
  }

  public static RuntimeConfig empty() {
    return of(new DataPlaneConfig(null, null, null, null, null, null, null), Map.of());
  }

  public String version() {
    return config.version();
  }

  public DataPlaneConfig config() {
    return config;
  }

  public Map<String, Pool> pools() {
    return pools;
  }

  /** The virtual services listening on {@code port}, or null when none does any more. */
  public PortRoutes routes(int port) {
    return routesByPort.get(port);
  }

  public Map<Integer, PortRoutes> routesByPort() {
    return routesByPort;
  }
}
