package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import dev.limpet.dataplane.runtime.ConfigHolder;
import dev.limpet.dataplane.transport.Transport;

/**
 * What every client connection's proxy handler shares: the live configuration, upstream
 * connections, metrics.
 */
public final class ProxyContext {
  final ConfigHolder config;
  final UpstreamConnectionPool connections;
  final DataPlaneMetrics metrics;
  private volatile boolean draining;

  public ProxyContext(ConfigHolder config, Transport transport, DataPlaneMetrics metrics) {
    this.config = config;
    this.connections = new UpstreamConnectionPool(transport);
    this.metrics = metrics;
  }

  /** From now on every response closes its connection (shutdown). */
  public void startDraining() {
    draining = true;
  }

  boolean draining() {
    return draining;
  }
}
