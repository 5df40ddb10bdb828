package dev.limpet.operator.reconciler;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders each data-plane group once per batch of changes ("group commit"), level-triggered: every
 * change reported with {@link #changed} is followed by a render that starts after it, whether or
 * not anybody waits for it, and a render that fails is tried again (with a growing pause, which a
 * new change or a waiting reconcile cuts short) until one succeeds or the operator stops.
 *
 * <p>A change starts a batch, which gathers further changes for {@code window} (or for twice as
 * long as the group's last render took, when that is longer: a group that is expensive to render is
 * rendered less often while changes pour in, and never more than about a third of the time). A
 * caller of {@link #await} gets the last render's result if no change was reported since that
 * render started, else the result of the next render. So 1,000 VirtualServices created together
 * cost a handful of renders of their group, not 1,000; a reconcile that only rechecks the replicas
 * costs none; and no reconcile sees a render older than the event that triggered it (a mapper runs
 * after its informer's cache took the change and before the reconcile it asks for).
 */
final class GroupBatches<T> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupBatches.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(500);
  private static final Duration LAST_RETRY = Duration.ofSeconds(10);

  /** A finished render and the change count of its group when it started reading the caches. */
  private record Rendered<T>(long changesAtStart, T result) {}

  private final Duration window;
  private final Duration timeout;
  private final Function<String, T> render;
  private final BooleanSupplier stopped;
  private final ScheduledExecutorService renderer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "group-render");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, CompletableFuture<T>> next = new HashMap<>();
  private final Map<String, Long> dueNanos = new HashMap<>();
  private final Map<String, Long> changes = new HashMap<>();
  private final Map<String, Rendered<T>> last = new HashMap<>();
  private final Map<String, Long> lastNanos = new HashMap<>();
  private final Map<String, Integer> failures = new HashMap<>();

  /**
   * @param window how long a batch gathers at least before its render starts
   * @param timeout how long a caller of {@link #await} waits for its render before it fails
   * @param render reads the caches and publishes one group
   * @param stopped whether the operator stops: a failed render is then not tried again
   */
  GroupBatches(
      Duration window, Duration timeout, Function<String, T> render, BooleanSupplier stopped) {
    this.window = window;
    this.timeout = timeout;
    this.render = render;
    this.stopped = stopped;
  }

  /** Something {@code group} renders from changed: a render of it follows. */
  void changed(String group) {
    synchronized (next) {
      changes.merge(group, 1L, Long::sum);
      batch(group, delay(group));
    }
  }

  /** The result of a render of {@code group} that saw every change reported so far. */
  T await(String group) throws InterruptedException {
    CompletableFuture<T> batch;
    synchronized (next) {
      Rendered<T> previous = last.get(group);
      if (previous != null && previous.changesAtStart() == changes.getOrDefault(group, 0L))
        return previous.result();
      batch = batch(group, delay(group));
    }
    try {
      return batch.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "rendering data-plane group " + group + " took over " + timeout);
    }
  }

  /**
   * The pending batch of {@code group}, due in {@code delayMillis} at the latest: a batch that
   * waits longer (a retry after a failure) is brought forward.
   */
  private CompletableFuture<T> batch(String group, long delayMillis) {
    long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
    CompletableFuture<T> batch = next.get(group);
    if (batch != null && dueNanos.get(group) - due <= 0) return batch;
    if (batch == null) {
      batch = new CompletableFuture<>();
      next.put(group, batch);
    }
    CompletableFuture<T> scheduled = batch;
    dueNanos.put(group, due);
    renderer.schedule(() -> run(group, scheduled), delayMillis, TimeUnit.MILLISECONDS);
    return batch;
  }

  private long delay(String group) {
    return Math.max(window.toMillis(), 2 * lastNanos.getOrDefault(group, 0L) / 1_000_000);
  }

  private void run(String group, CompletableFuture<T> batch) {
    long changesAtStart;
    // later changes start the next batch from here on: this render may miss them
    synchronized (next) {
      // brought forward: it ran already
      if (!next.remove(group, batch)) return;
      changesAtStart = changes.getOrDefault(group, 0L);
    }
    long start = System.nanoTime();
    try {
      T result = render.apply(group);
      long took = System.nanoTime() - start;
      synchronized (next) {
        last.put(group, new Rendered<>(changesAtStart, result));
        lastNanos.put(group, took);
        failures.remove(group);
      }
      batch.complete(result);
      LOG.debug("rendered {} in {} ms", group, took / 1_000_000);
    } catch (RuntimeException | Error e) {
      batch.completeExceptionally(e);
      if (stopped.getAsBoolean()) return;
      synchronized (next) {
        int failed = failures.merge(group, 1, Integer::sum);
        long pause =
            Math.min(LAST_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(failed - 1, 10));
        LOG.warn("rendering data-plane group {} failed, again in {} ms", group, pause, e);
        batch(group, pause);
      }
    }
  }

  @Override
  public void close() {
    renderer.shutdownNow();
  }
}
