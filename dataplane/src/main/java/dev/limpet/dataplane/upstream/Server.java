package dev.limpet.dataplane.upstream;

import dev.limpet.dataplane.config.ServerConfig;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The live state of one pool member: health, drain, and the counters that load balancing and the
 * connection limit read. Shared by every event loop; all state is atomic or volatile.
 */
public final class Server {
  private final ServerConfig config;
  private final String key;
  private final InetSocketAddress address;
  private final int maxConnections;
  private final long drainPeriodMillis;
  private final LongSupplier clock;
  // Shared with the reconfigured copies: connections opened under one configuration close under the
  // next.
  private final AtomicInteger openConnections;
  private final AtomicInteger activeRequests;
  private volatile boolean healthy = true;
  private volatile long drainingSinceMillis;

  /**
   * @param maxConnections open upstream connections allowed, 0 = unlimited
   * @param drainPeriodMillis how long a draining server keeps persisted clients
   * @param clock milliseconds, {@code System::currentTimeMillis} outside tests
   */
  public Server(
      ServerConfig config, int maxConnections, long drainPeriodMillis, LongSupplier clock) {
    this(
        config, maxConnections, drainPeriodMillis, clock, new AtomicInteger(), new AtomicInteger());
  }

  private Server(
      ServerConfig config,
      int maxConnections,
      long drainPeriodMillis,
      LongSupplier clock,
      AtomicInteger openConnections,
      AtomicInteger activeRequests) {
    this.openConnections = openConnections;
    this.activeRequests = activeRequests;
    this.config = config;
    this.key = config.key();
    this.address = new InetSocketAddress(config.ip(), config.port());
    this.maxConnections = maxConnections;
    this.drainPeriodMillis = drainPeriodMillis;
    this.clock = clock;
    this.drainingSinceMillis = config.draining() ? clock.getAsLong() : 0;
  }

  /**
   * The same server under a new configuration, keeping health and counters when only its
   * draining/enabled flags or ratio changed.
   */
  public Server reconfigured(
      ServerConfig next, int nextMaxConnections, long nextDrainPeriodMillis) {
    Server s =
        new Server(
            next,
            nextMaxConnections,
            nextDrainPeriodMillis,
            clock,
            openConnections,
            activeRequests);
    s.healthy = healthy;
    if (next.draining() && config.draining()) s.drainingSinceMillis = drainingSinceMillis;
    return s;
  }

  public ServerConfig config() {
    return config;
  }

  /** {@code ip:port}: the identity that cookies, tables and replication use. */
  public String key() {
    return key;
  }

  public String name() {
    return config.name();
  }

  public InetSocketAddress address() {
    return address;
  }

  public int ratio() {
    return config.ratio();
  }

  public boolean healthy() {
    return healthy;
  }

  /** Set by the health monitors: true while every monitor of the pool passes. */
  public void setHealthy(boolean healthy) {
    this.healthy = healthy;
  }

  public boolean enabled() {
    return config.enabled();
  }

  public boolean draining() {
    return config.draining();
  }

  public boolean atConnectionLimit() {
    return maxConnections > 0 && openConnections.get() >= maxConnections;
  }

  /** Up for new clients: enabled, healthy, not draining, below its connection limit. */
  public boolean acceptsNewClients() {
    return enabled() && healthy && !draining() && !atConnectionLimit();
  }

  /**
   * Up for clients already persisted to it: as above, but a draining server stays within its drain
   * period.
   */
  public boolean acceptsPersistedClients() {
    if (!enabled() || !healthy || atConnectionLimit()) return false;
    return !draining() || clock.getAsLong() - drainingSinceMillis < drainPeriodMillis;
  }

  /** What the admin view and scripts report: 1 up, 0 down. */
  public boolean up() {
    return enabled() && healthy && !draining() && !atConnectionLimit();
  }

  /** Counts a new upstream connection, refusing it when the server is at its limit. */
  public boolean tryOpenConnection() {
    while (true) {
      int n = openConnections.get();
      if (maxConnections > 0 && n >= maxConnections) return false;
      if (openConnections.compareAndSet(n, n + 1)) return true;
    }
  }

  public void connectionClosed() {
    openConnections.decrementAndGet();
  }

  public int openConnections() {
    return openConnections.get();
  }

  public void requestStarted() {
    activeRequests.incrementAndGet();
  }

  public void requestEnded() {
    activeRequests.decrementAndGet();
  }

  public int activeRequests() {
    return activeRequests.get();
  }

  @Override
  public String toString() {
    return name() + "(" + key + ")";
  }
}
