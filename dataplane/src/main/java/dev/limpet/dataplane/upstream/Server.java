package dev.limpet.dataplane.upstream;

import dev.limpet.contract.ServerConfig;
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
  private final LiveState live;
  private final long drainingSinceMillis;

  /**
   * @param maxConnections open upstream connections allowed, 0 = unlimited
   * @param drainPeriodMillis how long a draining server keeps persisted clients
   * @param clock milliseconds, {@code System::currentTimeMillis} outside tests
   */
  public Server(
      ServerConfig config, int maxConnections, long drainPeriodMillis, LongSupplier clock) {
    this(
        config,
        maxConnections,
        drainPeriodMillis,
        clock,
        new LiveState(),
        config.draining() ? clock.getAsLong() : 0);
  }

  private Server(
      ServerConfig config,
      int maxConnections,
      long drainPeriodMillis,
      LongSupplier clock,
      LiveState live,
      long drainingSinceMillis) {
    this.config = config;
    this.key = config.key();
    this.address = new InetSocketAddress(config.ip(), config.port());
    this.maxConnections = maxConnections;
    this.drainPeriodMillis = drainPeriodMillis;
    this.clock = clock;
    this.live = live;
    this.drainingSinceMillis = drainingSinceMillis;
  }

  /**
   * The same server under a new configuration. Health and counters are shared with this object, not
   * copied: connections and requests still in flight on the old object count (and end) on the new
   * one. A server that was already draining keeps its drain start.
   */
  public Server reconfigured(
      ServerConfig next, int nextMaxConnections, long nextDrainPeriodMillis) {
    long drainingSince =
        !next.draining() ? 0 : config.draining() ? drainingSinceMillis : clock.getAsLong();
    return new Server(next, nextMaxConnections, nextDrainPeriodMillis, clock, live, drainingSince);
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
    return live.healthy;
  }

  /** Set by the health monitors: true while every monitor of the pool passes. */
  public void setHealthy(boolean healthy) {
    live.healthy = healthy;
  }

  public boolean enabled() {
    return config.enabled();
  }

  public boolean draining() {
    return config.draining();
  }

  /**
   * At its connection limit, and none of its open connections can take another exchange (an HTTP/2
   * connection with room for another stream can, on whichever event loop it is).
   */
  public boolean atConnectionLimit() {
    return maxConnections > 0
        && live.openConnections.get() >= maxConnections
        && live.connectionsWithRoom.get() == 0;
  }

  /** An open HTTP/2 connection to this server started ({@code true}) or stopped taking streams. */
  public void connectionRoom(boolean room) {
    live.connectionsWithRoom.addAndGet(room ? 1 : -1);
  }

  /** Up for new clients: enabled, healthy, not draining, below its connection limit. */
  public boolean acceptsNewClients() {
    return enabled() && live.healthy && !draining() && !atConnectionLimit();
  }

  /**
   * Up for clients already persisted to it: as above, but a draining server stays within its drain
   * period.
   */
  public boolean acceptsPersistedClients() {
    if (!enabled() || !live.healthy || atConnectionLimit()) return false;
    return !draining() || clock.getAsLong() - drainingSinceMillis < drainPeriodMillis;
  }

  /** What the admin view and scripts report: 1 up, 0 down. */
  public boolean up() {
    return enabled() && live.healthy && !draining() && !atConnectionLimit();
  }

  /** Counts a new upstream connection, refusing it when the server is at its limit. */
  public boolean tryOpenConnection() {
    while (true) {
      int n = live.openConnections.get();
      if (maxConnections > 0 && n >= maxConnections) return false;
      if (live.openConnections.compareAndSet(n, n + 1)) return true;
    }
  }

  public void connectionClosed() {
    live.openConnections.decrementAndGet();
  }

  public int openConnections() {
    return live.openConnections.get();
  }

  public void requestStarted() {
    live.activeRequests.incrementAndGet();
  }

  public void requestEnded() {
    live.activeRequests.decrementAndGet();
  }

  public int activeRequests() {
    return live.activeRequests.get();
  }

  @Override
  public String toString() {
    return name().equals(key) ? key : name() + "(" + key + ")";
  }

  /** What survives a reconfiguration: one instance per server for as long as it stays in a pool. */
  private static final class LiveState {
    final AtomicInteger openConnections = new AtomicInteger();
    final AtomicInteger activeRequests = new AtomicInteger();
    final AtomicInteger connectionsWithRoom = new AtomicInteger();
    volatile boolean healthy = true;
  }
}
