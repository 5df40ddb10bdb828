package dev.limpet.dataplane.server;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs the connections a listener refuses before HTTP (a PROXY header from the wrong source,
 * malformed, or too slow) at most once per {@link #INTERVAL}, so that whoever can reach the port
 * cannot flood the log: the next line says how many were left out. Every refusal is still counted
 * in {@code limpet_refused_connections_total}. Safe to use from every event loop.
 */
final class RefusalLog {
  static final Duration INTERVAL = Duration.ofSeconds(10);

  private final Logger log;
  private final LongSupplier nanoClock;
  private final AtomicLong windowStart = new AtomicLong(Long.MIN_VALUE);
  private final AtomicInteger suppressed = new AtomicInteger();

  RefusalLog(Logger log, LongSupplier nanoClock) {
    this.log = log;
    this.nanoClock = nanoClock;
  }

  void refused(SocketAddress remote, int port, String detail) {
    long now = nanoClock.getAsLong();
    long start = windowStart.get();
    if (start != Long.MIN_VALUE && now - start < INTERVAL.toNanos()) {
      suppressed.incrementAndGet();
      return;
    }
    if (!windowStart.compareAndSet(start, now)) {
      suppressed.incrementAndGet();
      return;
    }
    int leftOut = suppressed.getAndSet(0);
    log.warn(
        "listener port {} closed a connection from {}: it {}{}",
        port,
        remote,
        detail,
        leftOut == 0
            ? ""
            : "; "
                + leftOut
                + " earlier refusal(s) were not logged (at most one line every "
                + INTERVAL.toSeconds()
                + " s)");
  }
}
