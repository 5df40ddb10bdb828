package dev.limpet.operator.rollout;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The applied version of each replica, asked at most once per {@code maxAge} per replica however
 * many VirtualServices of its group reconcile at once: they share one answer, and one call in
 * flight; but never an answer asked before the configuration they wait for was written, which could
 * only say "not yet" (once per configuration: a new VirtualService then needs no recheck).
 */
public final class ReplicaVersions {
  private record Sample(CompletableFuture<Optional<String>> answer, long askedAtNanos) {}

  private static final long FORGET_AFTER = 100;
  private final AdminEndpoint endpoint;
  private final long maxAgeNanos;
  private final LongSupplier nanoTime;
  private final Map<DataPlanePods.Replica, Sample> samples = new ConcurrentHashMap<>();

  public ReplicaVersions(AdminEndpoint endpoint, Duration maxAge, LongSupplier nanoTime) {
    this.endpoint = endpoint;
    this.maxAgeNanos = maxAge.toNanos();
    this.nanoTime = nanoTime;
  }

  /** Each replica's applied version, empty for one that did not answer. */
  public Map<DataPlanePods.Replica, Optional<String>> of(List<DataPlanePods.Replica> replicas) {
    return of(replicas, Long.MIN_VALUE);
  }

  /**
   * Each replica's applied version, from an answer asked at {@code notBeforeNanos} or later (an
   * earlier one cannot show a configuration written since), empty for one that did not answer.
   */
  public Map<DataPlanePods.Replica, Optional<String>> of(
      List<DataPlanePods.Replica> replicas, long notBeforeNanos) {
    Map<DataPlanePods.Replica, CompletableFuture<Optional<String>>> asked = new LinkedHashMap<>();
    for (var replica : replicas) asked.put(replica, sample(replica, notBeforeNanos).answer());
    Map<DataPlanePods.Replica, Optional<String>> versions = new LinkedHashMap<>();
    asked.forEach((replica, answer) -> versions.put(replica, answer.join()));
    forgetOld();
    return versions;
  }

  private Sample sample(DataPlanePods.Replica replica, long notBeforeNanos) {
    long now = nanoTime.getAsLong();
    return samples.compute(
        replica,
        (r, old) ->
            old != null
                    && (notBeforeNanos == Long.MIN_VALUE
                        || old.askedAtNanos() - notBeforeNanos >= 0)
                    && (!old.answer().isDone() || now - old.askedAtNanos() < maxAgeNanos)
                ? old
                : new Sample(endpoint.appliedVersion(r), now));
  }

  /** Drops samples of replicas nobody asked about for a while: pods come and go. */
  private void forgetOld() {
    long now = nanoTime.getAsLong();
    samples
        .values()
        .removeIf(s -> s.answer().isDone() && now - s.askedAtNanos() > FORGET_AFTER * maxAgeNanos);
  }
}
