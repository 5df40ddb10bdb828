package dev.limpet.dataplane.runtime;

import dev.limpet.contract.DataPlaneConfig;
import dev.limpet.contract.VirtualServiceConfig;
import dev.limpet.dataplane.tls.TlsCatalog;
import dev.limpet.dataplane.upstream.PoolCatalog;
import io.netty.util.collection.IntObjectHashMap;
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
  private final PoolCatalog pools;
  private final Map<Integer, PortRoutes> routesByPort;

  /** The same by an unboxed port: a request looks its port up without boxing it. */
  private final IntObjectHashMap<PortRoutes> routesByPortNumber;

  private RuntimeConfig(
      DataPlaneConfig config, PoolCatalog pools, Map<Integer, PortRoutes> routesByPort) {
    this.config = config;
    this.pools = pools;
    this.routesByPort = routesByPort;
    this.routesByPortNumber = new IntObjectHashMap<>(routesByPort.size());
    routesByPort.forEach(routesByPortNumber::put);
  }

  /** Composes a validated configuration with its live pools, compiled DataScripts and TLS. */
  public static RuntimeConfig of(
      DataPlaneConfig config, PoolCatalog pools, ScriptCatalog scripts, TlsCatalog tls) {
    Map<Integer, List<VirtualService>> byPort = new HashMap<>();
    for (VirtualServiceConfig vs : config.virtualServices()) {
      byPort
          .computeIfAbsent(vs.port(), p -> new ArrayList<>())
          .add(
              new VirtualService(
                  vs,
                  pools.pool(vs.pool()),
                  AccessPolicy.of(vs.networkSecurity()),
                  scripts.forVirtualService(vs.name()),
                  tls.upstream(vs.name()),
                  trustedProxies(vs)));
    }
    Map<Integer, PortRoutes> routes = new HashMap<>();
    byPort.forEach(
        (port, services) -> routes.put(port, new PortRoutes(services, tls.listener(port))));
    return new RuntimeConfig(config, pools, Map.copyOf(routes));
  }

  private static AddressBlocks trustedProxies(VirtualServiceConfig vs) {
    var forwardedFor = vs.clientAddress().forwardedFor();
    return forwardedFor == null ? null : AddressBlocks.of(forwardedFor.trustedProxies());
  }

  public static RuntimeConfig empty() {
    return of(
        new DataPlaneConfig(null, null, null, null, null, null, null, null),
        PoolCatalog.EMPTY,
        ScriptCatalog.EMPTY,
        TlsCatalog.EMPTY);
  }

  public String version() {
    return config.version();
  }

  public DataPlaneConfig config() {
    return config;
  }

  public PoolCatalog pools() {
    return pools;
  }

  /** The virtual services listening on {@code port}, or null when none does any more. */
  public PortRoutes routes(int port) {
    return routesByPortNumber.get(port);
  }

  public Map<Integer, PortRoutes> routesByPort() {
    return routesByPort;
  }
}
