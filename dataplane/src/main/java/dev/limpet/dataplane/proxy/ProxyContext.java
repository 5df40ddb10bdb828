package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import dev.limpet.dataplane.runtime.ConfigHolder;
import dev.limpet.dataplane.transport.Transport;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * What every client connection's proxy handler shares: the live configuration, upstream
 * connections, metrics.
 */
public final class ProxyContext {
  final ConfigHolder config;
  final UpstreamConnectionPool connections;
  final DataPlaneMetrics metrics;
  final Tunnels tunnels;
  private volatile boolean draining;
  private final Map<Integer, IntSupplier> openConnections = new ConcurrentHashMap<>();
  private volatile IntSupplier replicas = () -> 1;

  public ProxyContext(ConfigHolder config, Transport transport, DataPlaneMetrics metrics) {
    this.config = config;
    this.connections = new UpstreamConnectionPool(transport);
    this.metrics = metrics;
    this.tunnels = new Tunnels(this, () -> config.current().pools());
  }

  /** The open tunnels, which a configuration change may end. */
  public Tunnels tunnels() {
    return tunnels;
  }

  /** Counts the connections open on listener {@code port} ({@code avi.vs.get_open_conns}). */
  public void listenerOpened(int port, IntSupplier open) {
    openConnections.put(port, open);
  }

  /** Counts the replicas that serve now ({@code avi.vs.se_count}); 1 without replication. */
  public void countReplicas(IntSupplier replicas) {
    this.replicas = replicas;
  }

  public DataPlaneMetrics metrics() {
    return metrics;
  }

  int openConnections(int port) {
    IntSupplier open = openConnections.get(port);
    return open == null ? 0 : open.getAsInt();
  }

  int replicas() {
    return replicas.getAsInt();
  }

  /** From now on every response closes its connection (shutdown). */
  public void startDraining() {
    draining = true;
  }

  boolean draining() {
    return draining;
  }
}
