package dev.limpet.dataplane;

import dev.limpet.dataplane.config.ConfigException;
import dev.limpet.dataplane.config.ConfigLoader;
import dev.limpet.dataplane.config.DataPlaneConfig;
import dev.limpet.dataplane.config.PoolConfig;
import dev.limpet.dataplane.config.ServerConfig;
import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import dev.limpet.dataplane.runtime.ConfigHolder;
import dev.limpet.dataplane.runtime.RuntimeConfig;
import dev.limpet.dataplane.server.DataPlaneServer;
import dev.limpet.dataplane.server.Transport;
import dev.limpet.dataplane.upstream.Pool;
import dev.limpet.dataplane.upstream.Server;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running data plane: applies configurations (build, bind, swap, release) and owns everything
 * that outlives one configuration.
 */
public final class DataPlane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);

  private final ConfigHolder holder = new ConfigHolder();
  private final DataPlaneMetrics metrics = new DataPlaneMetrics();
  private final DataPlaneServer server;
  private volatile boolean configured;

  public DataPlane(int threads) {
    this.server = new DataPlaneServer(Transport.best(), threads, holder, metrics);
  }

  /**
   * Parses, validates and applies a configuration document; on any problem the current one stays.
   */
  public synchronized void apply(String document) throws ConfigException {
    apply(ConfigLoader.parse(document));
  }

  /** Applies a validated configuration; on any problem the current one stays. */
  public synchronized void apply(DataPlaneConfig config) throws ConfigException {
    RuntimeConfig previous = holder.current();
    RuntimeConfig next = RuntimeConfig.of(config, buildPools(config, previous));
    try {
      server.openListeners(next);
    } catch (DataPlaneServer.BindFailedException e) {
      throw new ConfigException(List.of("virtualServices: " + e.getMessage()));
    }
    holder.swap(next);
    server.closeUnusedListeners(next);
    configured = true;
    LOG.info("applied configuration version {}", config.version());
  }

  /**
   * Applies a document and logs instead of throwing: for reloads, where the last good configuration
   * keeps serving.
   */
  public void reload(String document) {
    try {
      apply(document);
    } catch (ConfigException e) {
      LOG.error(
          "configuration refused, the last good one (version {}) keeps serving: {}",
          holder.current().version(),
          e.getMessage());
    }
  }

  private Map<String, Pool> buildPools(DataPlaneConfig config, RuntimeConfig previous) {
    Map<String, Pool> pools = new HashMap<>();
    for (PoolConfig pc : config.pools()) {
      List<Server> servers = new ArrayList<>();
      for (ServerConfig sc : pc.servers())
        servers.add(
            new Server(
                sc,
                pc.maxConnectionsPerServer(),
                pc.drainPeriodSeconds() * 1000L,
                System::currentTimeMillis));
      AtomicInteger next = new AtomicInteger();
      pools.put(
          pc.name(),
          new Pool(
              pc,
              servers,
              request -> {
                for (int i = 0; i < servers.size(); i++) {
                  Server s = servers.get(Math.floorMod(next.getAndIncrement(), servers.size()));
                  if (s.acceptsNewClients()) return s;
                }
                return null;
              },
              null));
    }
    return pools;
  }

  public RuntimeConfig current() {
    return holder.current();
  }

  /** Ready to take traffic: a configuration is applied. */
  public boolean ready() {
    return configured;
  }

  /** Entries per persistence table. */
  public Map<String, Integer> tableSizes() {
    return Map.of();
  }

  public DataPlaneMetrics metrics() {
    return metrics;
  }

  /** Where the listener of {@code port} is bound. */
  public InetSocketAddress listenerAddress(int port) {
    return server.boundAddress(port);
  }

  @Override
  public void close() {
    server.close();
  }
}
