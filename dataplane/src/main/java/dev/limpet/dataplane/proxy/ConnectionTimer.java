package dev.limpet.dataplane.proxy;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One timer per connection, armed for the earliest deadline asked for and re-armed by its owner
 * when it fires. Asking for a later deadline than the armed one costs nothing, which is the usual
 * case on a busy keep-alive connection: no timer is scheduled or cancelled per request.
 */
final class ConnectionTimer {
  private final EventExecutor executor;
  private final Runnable onFire;

  /** The task scheduled, made once: a method reference per schedule would be an object each. */
  private final Runnable fire = this::fire;

  private ScheduledFuture<?> scheduled;
  private long atNanos;

  ConnectionTimer(EventExecutor executor, Runnable onFire) {
    this.executor = executor;
    this.onFire = onFire;
  }

  /** Makes sure the owner is called at {@code deadlineNanos} (System.nanoTime) or before. */
  void wakeAt(long deadlineNanos) {
    if (scheduled != null && atNanos <= deadlineNanos) return;
    if (scheduled != null) scheduled.cancel(false);
    atNanos = deadlineNanos;
    scheduled =
        executor.schedule(
            fire, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  void cancel() {
    if (scheduled != null) scheduled.cancel(false);
    scheduled = null;
  }

  private void fire() {
    scheduled = null;
    onFire.run();
  }
}
