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
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders each data-plane group once per batch of reconciles ("group commit"), and not at all when
 * nothing the group renders from changed since the last render.
 *
 * <p>The event mappers report every change of a render input with {@link #changed}. A reconcile
 * then gets the last render's result if no change was reported since that render started, else it
 * waits for a render that starts after it asked, which every reconcile asking before that render
 * starts shares. So 1,000 VirtualServices reconciled together cost a handful of renders of their
 * group, not 1,000; a reconcile that only rechecks the replicas costs none; and no reconcile ever
 * sees a render older than the event that triggered it (a mapper runs after its informer's cache
 * took the change and before the reconcile it asks for).
 */
final class GroupBatches<T> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupBatches.class);

  /** A finished render and the change count of its group when it started reading the caches. */
  private record Rendered<T>(long changesAtStart, T result) {}

  private final Duration window;
  private final Duration timeout;
  private final ScheduledExecutorService renderer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "group-render");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, CompletableFuture<T>> next = new HashMap<>();
  private final Map<String, Long> changes = new HashMap<>();
  private final Map<String, Rendered<T>> last = new HashMap<>();

  /**
   * @param window how long a batch gathers before its render starts
   * @param timeout how long a reconcile waits for its render before it fails (and is retried)
   */
  GroupBatches(Duration window, Duration timeout) {
    this.window = window;
    this.timeout = timeout;
  }

  /** Something {@code group} renders from changed: its next reconcile renders it again. */
  void changed(String group) {
    synchronized (next) {
      changes.merge(group, 1L, Long::sum);
    }
  }

  /**
   * The result of a render of {@code group} that saw every change reported so far.
   *
   * @param render reads the caches and publishes; the first caller's of a batch runs
   */
  T await(String group, Supplier<T> render) throws InterruptedException {
    CompletableFuture<T> batch;
    synchronized (next) {
      Rendered<T> previous = last.get(group);
      if (previous != null && previous.changesAtStart() == changes.getOrDefault(group, 0L))
        return previous.result();
      batch = next.get(group);
      if (batch == null) {
        CompletableFuture<T> created = new CompletableFuture<>();
        next.put(group, created);
        renderer.schedule(
            () -> run(group, created, render), window.toMillis(), TimeUnit.MILLISECONDS);
        batch = created;
      }
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

  /** Like {@link #await}, but always a render that starts after this call. */
  T awaitFresh(String group, Supplier<T> render) throws InterruptedException {
    changed(group);
    return await(group, render);
  }

  private void run(String group, CompletableFuture<T> batch, Supplier<T> render) {
    long changesAtStart;
    // later callers join the next batch from here on: this render may miss their events
    synchronized (next) {
      next.remove(group, batch);
      changesAtStart = changes.getOrDefault(group, 0L);
    }
    long start = System.nanoTime();
    try {
      T result = render.get();
      synchronized (next) {
        last.put(group, new Rendered<>(changesAtStart, result));
      }
      batch.complete(result);
      LOG.debug("rendered {} in {} ms", group, (System.nanoTime() - start) / 1_000_000);
    } catch (RuntimeException | Error e) {
      batch.completeExceptionally(e);
    }
  }

  @Override
  public void close() {
    renderer.shutdownNow();
  }
}
