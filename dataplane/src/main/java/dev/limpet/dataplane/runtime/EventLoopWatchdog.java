package dev.limpet.dataplane.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices an event loop that has stopped making progress: from its own thread it hands each loop a
 * no-op task and expects it to run within the threshold. A loop that does not has every connection
 * on it stuck (a defect, a library call that never returns), which no request-level limit can see;
 * then its thread's stack is logged once per stall, the stall is counted, and {@link #stalled()}
 * reports it for the liveness probe, so that Kubernetes restarts the replica.
 */
public final class EventLoopWatchdog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventLoopWatchdog.class);

  /** Checks per threshold: a stall is seen at most a fifth of the threshold late. */
  private static final int CHECKS_PER_THRESHOLD = 5;

  private static final Duration LONGEST_PERIOD = Duration.ofSeconds(1);

  private final List<Probe> probes = new ArrayList<>();
  private volatile long thresholdNanos;
  private final Counter stalls;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "event-loop-watchdog");
            t.setDaemon(true);
            return t;
          });

  /** One event loop, with what the watchdog last saw of it. */
  private static final class Probe {
    final EventExecutor loop;
    volatile Thread thread;
    volatile boolean pending;
    volatile long submittedAt;
    boolean stalled; // read and written by the watchdog thread only

    Probe(EventExecutor loop) {
      this.loop = loop;
    }
  }

  /**
   * Starts watching every loop of {@code group}.
   *
   * @param threshold how long a loop may go without running a task before it counts as stalled
   */
  public EventLoopWatchdog(EventExecutorGroup group, Duration threshold, MeterRegistry registry) {
    if (threshold.isNegative() || threshold.isZero())
      throw new IllegalArgumentException("the stall threshold must be positive");
    this.thresholdNanos = threshold.toNanos();
    for (EventExecutor loop : group) probes.add(new Probe(loop));
    this.stalls =
        Counter.builder("limpet_event_loop_stalls")
            .description(
                "Times an event loop ran no task for longer than the stall threshold; each is"
                    + " logged with the loop's stack")
            .register(registry);
    Gauge.builder("limpet_event_loops_stalled", this, w -> w.stalledLoops().size())
        .description("Event loops stalled now; while above 0, /livez answers 503")
        .register(registry);
    timer.schedule(this::checkAndReschedule, 0, TimeUnit.NANOSECONDS);
  }

  /** Changes the threshold (the command line's {@code --stall-threshold-ms}). */
  public void threshold(Duration threshold) {
    if (threshold.isNegative() || threshold.isZero())
      throw new IllegalArgumentException("the stall threshold must be positive");
    thresholdNanos = threshold.toNanos();
  }

  private void checkAndReschedule() {
    try {
      check();
    } finally {
      long period =
          Math.max(
              1_000_000, Math.min(thresholdNanos / CHECKS_PER_THRESHOLD, LONGEST_PERIOD.toNanos()));
      if (!timer.isShutdown())
        timer.schedule(this::checkAndReschedule, period, TimeUnit.NANOSECONDS);
    }
  }

  /** One look at every loop; runs on the watchdog's thread. */
  private void check() {
    long now = System.nanoTime();
    for (Probe probe : probes) {
      if (probe.loop.isShuttingDown()) continue;
      if (!probe.pending) {
        if (probe.stalled) {
          probe.stalled = false;
          LOG.warn("event loop {} makes progress again", name(probe));
        }
        probe.pending = true;
        probe.submittedAt = now;
        try {
          probe.loop.execute(
              () -> {
                probe.thread = Thread.currentThread();
                probe.pending = false;
              });
        } catch (RuntimeException e) {
          probe.pending = false; // rejected: the loop is shutting down
        }
      } else if (!probe.stalled && now - probe.submittedAt > thresholdNanos) {
        probe.stalled = true;
        stalls.increment();
        LOG.error(
            "event loop {} has run no task for more than {} ms: every connection on it is stuck;"
                + " /livez answers 503 until it recovers. Its stack:{}",
            name(probe),
            TimeUnit.NANOSECONDS.toMillis(thresholdNanos),
            stack(probe.thread));
      }
    }
  }

  private static String name(Probe probe) {
    Thread t = probe.thread;
    return t != null ? t.getName() : probe.loop.toString();
  }

  private static String stack(Thread thread) {
    if (thread == null) return " (unknown: the loop never ran a watchdog task)";
    StringBuilder out = new StringBuilder();
    for (StackTraceElement frame : thread.getStackTrace()) out.append("\n\tat ").append(frame);
    return out.toString();
  }

  /** The names of the loops stalled now. */
  public List<String> stalledLoops() {
    List<String> names = new ArrayList<>();
    long now = System.nanoTime();
    for (Probe probe : probes)
      if (probe.pending && now - probe.submittedAt > thresholdNanos) names.add(name(probe));
    return names;
  }

  /** Why the process is not live, if it is not. */
  public Optional<String> stalled() {
    List<String> names = stalledLoops();
    if (names.isEmpty()) return Optional.empty();
    return Optional.of(
        "event loop(s) "
            + String.join(", ", names)
            + " ran no task for more than "
            + TimeUnit.NANOSECONDS.toMillis(thresholdNanos)
            + " ms");
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
