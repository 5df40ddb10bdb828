package dev.limpet.dataplane.upstream.health;

import dev.limpet.contract.HealthMonitorConfig;
import dev.limpet.dataplane.upstream.Server;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One monitor probing one server every {@code intervalSeconds}, on one event loop, until stopped.
 * Results feed a {@link CheckStreak}; each flip of its verdict is reported.
 */
final class MonitorCheck {
  private final HealthMonitorConfig monitor;
  private final Server server;
  private final Probe probe;
  private final EventLoop loop;
  private final Consumer<MonitorCheck> onFlip;
  private final CheckStreak streak;
  private final long intervalNanos;
  private volatile boolean stopped;
  private volatile Future<?> next;
  private volatile boolean passing = true;
  private volatile String lastResult;
  private volatile String lastFailure;

  /**
   * @param onFlip called on {@code loop} after the verdict flipped
   */
  MonitorCheck(
      HealthMonitorConfig monitor,
      Server server,
      Probe probe,
      EventLoop loop,
      Consumer<MonitorCheck> onFlip) {
    this.monitor = monitor;
    this.server = server;
    this.probe = probe;
    this.loop = loop;
    this.onFlip = onFlip;
    this.streak = new CheckStreak(monitor.successfulChecks(), monitor.failedChecks());
    this.intervalNanos = TimeUnit.SECONDS.toNanos(monitor.intervalSeconds());
  }

  /** Starts probing; the first probe comes at a random point of the first interval. */
  // The random start spreads the probes of many servers (after a start or a reload) over the
  // interval instead of sending them all at once.
  void start() {
    next =
        loop.schedule(
            this::probeOnce,
            ThreadLocalRandom.current().nextLong(intervalNanos),
            TimeUnit.NANOSECONDS);
  }

  /** Stops probing; a probe in flight finishes and is ignored. */
  void stop() {
    stopped = true;
    Future<?> scheduled = next;
    if (scheduled != null) scheduled.cancel(false);
  }

  HealthMonitorConfig monitor() {
    return monitor;
  }

  boolean passing() {
    return passing;
  }

  MonitorStatus status() {
    return new MonitorStatus(monitor.name(), passing, lastResult, lastFailure);
  }

  private void probeOnce() {
    if (stopped) return;
    long started = System.nanoTime();
    CompletableFuture<ProbeResult> result;
    try {
      result = probe.run(server, loop);
    } catch (RuntimeException e) {
      // A throw here would end the schedule and freeze the server's health; count it instead.
      result = CompletableFuture.completedFuture(ProbeResult.fail(e));
    }
    result.whenCompleteAsync(
        (r, error) -> record(r != null ? r : ProbeResult.fail(error), started), loop);
  }

  private void record(ProbeResult result, long startedNanos) {
    if (stopped) return;
    lastResult = result.detail();
    if (!result.passed()) lastFailure = result.detail();
    boolean flipped = streak.record(result.passed());
    passing = streak.passing();
    if (flipped) onFlip.accept(this);
    long wait = Math.max(0, intervalNanos - (System.nanoTime() - startedNanos));
    if (!stopped) next = loop.schedule(this::probeOnce, wait, TimeUnit.NANOSECONDS);
  }
}
