package dev.limpet.operator.rollout;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * One answer of each replica's admin endpoint, asked at most once per {@code maxAge} per replica
 * however many reconciles want it at once: they share one answer, and one call in flight; but never
 * an answer asked before a moment the caller names (one asked before a configuration was written
 * cannot show it).
 *
 * @param <T> what a replica answers; the asking function never fails (an empty answer instead)
 */
public final class ReplicaSamples<T> {
  private record Sample<T>(CompletableFuture<T> answer, long askedAtNanos) {}

  private static final long FORGET_AFTER = 100;
  private final Function<DataPlanePods.Replica, CompletableFuture<T>> ask;
  private final long maxAgeNanos;
  private final LongSupplier nanoTime;
  private final Map<DataPlanePods.Replica, Sample<T>> samples = new ConcurrentHashMap<>();

  public ReplicaSamples(
      Function<DataPlanePods.Replica, CompletableFuture<T>> ask,
      Duration maxAge,
      LongSupplier nanoTime) {
    this.ask = ask;
    this.maxAgeNanos = maxAge.toNanos();
    this.nanoTime = nanoTime;
  }

  /** Each replica's answer, in the order given. */
  public Map<DataPlanePods.Replica, T> of(List<DataPlanePods.Replica> replicas) {
    return of(replicas, Long.MIN_VALUE);
  }

  /**
   * Each replica's answer, in the order given, from a call made at {@code notBeforeNanos} or later.
   */
  public Map<DataPlanePods.Replica, T> of(
      List<DataPlanePods.Replica> replicas, long notBeforeNanos) {
    Map<DataPlanePods.Replica, CompletableFuture<T>> asked = new LinkedHashMap<>();
    for (var replica : replicas) asked.put(replica, sample(replica, notBeforeNanos).answer());
    Map<DataPlanePods.Replica, T> answers = new LinkedHashMap<>();
    asked.forEach((replica, answer) -> answers.put(replica, answer.join()));
    forgetOld();
    return answers;
  }

  private Sample<T> sample(DataPlanePods.Replica replica, long notBeforeNanos) {
    long now = nanoTime.getAsLong();
    return samples.compute(
        replica,
        (r, old) ->
            old != null
                    && (notBeforeNanos == Long.MIN_VALUE
                        || old.askedAtNanos() - notBeforeNanos >= 0)
                    && (!old.answer().isDone() || now - old.askedAtNanos() < maxAgeNanos)
                ? old
                : new Sample<>(ask.apply(r), now));
  }

  /** Drops samples of replicas nobody asked about for a while: pods come and go. */
  private void forgetOld() {
    long now = nanoTime.getAsLong();
    samples
        .values()
        .removeIf(s -> s.answer().isDone() && now - s.askedAtNanos() > FORGET_AFTER * maxAgeNanos);
  }
}
