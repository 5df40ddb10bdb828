package dev.limpet.dataplane.peers;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs refused peer connections at most once per {@link #INTERVAL} per source address, so that
 * whoever can reach the peer port cannot flood the log: the next line from the same address says
 * how many were left out. Every refusal is still counted in {@code
 * limpet_peer_refused_connections_total}. Safe to use from every event loop.
 */
final class RefusalLog {
  static final Duration INTERVAL = Duration.ofMinutes(1);

  /** Sources tracked at once; beyond this, new addresses share one window. */
  private static final int MAX_SOURCES = 1024;

  private static final String OTHERS = "other addresses";

  private final Logger log;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  /** One source's current minute: when it started and how many refusals were not logged. */
  private static final class Window {
    final long startedAt;
    int suppressed;

    Window(long startedAt) {
      this.startedAt = startedAt;
    }
  }

  RefusalLog(Logger log, LongSupplier nanoClock) {
    this.log = log;
    this.nanoClock = nanoClock;
  }

  void refused(SocketAddress remote, String replica, String detail) {
    long now = nanoClock.getAsLong();
    String source = source(remote);
    if (windows.size() >= MAX_SOURCES && !windows.containsKey(source)) {
      windows.values().removeIf(w -> expired(w, now));
      if (windows.size() >= MAX_SOURCES) source = OTHERS;
    }
    int[] leftOut = {-1};
    windows.compute(
        source,
        (key, window) -> {
          if (window == null || expired(window, now)) {
            leftOut[0] = window == null ? 0 : window.suppressed;
            return new Window(now);
          }
          window.suppressed++;
          return window;
        });
    if (leftOut[0] < 0) return;
    log.warn(
        "refused peer connection from {} (replica {}): {}{}",
        remote,
        replica,
        detail,
        leftOut[0] == 0
            ? ""
            : "; "
                + leftOut[0]
                + " earlier refusal(s) from "
                + source
                + " were not logged (at most one line a minute per address)");
  }

  private static boolean expired(Window window, long now) {
    return now - window.startedAt >= INTERVAL.toNanos();
  }

  private static String source(SocketAddress remote) {
    if (remote instanceof InetSocketAddress inet) {
      InetAddress address = inet.getAddress();
      return address != null ? address.getHostAddress() : inet.getHostString();
    }
    return String.valueOf(remote);
  }
}
