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

/**
 * Renders each data-plane group once per batch of reconciles ("group commit"). A reconcile asks for
 * a publication of its group that started reading the caches after it asked; every reconcile that
 * asks before that render starts shares it. So 1,000 VirtualServices reconciled together cost a
 * handful of renders of their group, not 1,000, and no reconcile ever sees a publication older than
 * the event that triggered it.
 */
final class GroupBatches<T> implements AutoCloseable {
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

  /**
   * @param window how long a batch gathers before its render starts
   * @param timeout how long a reconcile waits for its render before it fails (and is retried)
   */
  GroupBatches(Duration window, Duration timeout) {
    this.window = window;
    this.timeout = timeout;
  }

  /**
   * The result of a render of {@code group} that starts after this call.
   *
   * @param render reads the caches and publishes; the first caller's of a batch runs
   */
  T await(String group, Supplier<T> render) throws InterruptedException {
    CompletableFuture<T> batch;
    synchronized (next) {
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

  private void run(String group, CompletableFuture<T> batch, Supplier<T> render) {
    // later callers join the next batch from here on: this render may miss their events
    synchronized (next) {
      next.remove(group, batch);
    }
    try {
      batch.complete(render.get());
    } catch (RuntimeException | Error e) {
      batch.completeExceptionally(e);
    }
  }

  @Override
  public void close() {
    renderer.shutdownNow();
  }
}
