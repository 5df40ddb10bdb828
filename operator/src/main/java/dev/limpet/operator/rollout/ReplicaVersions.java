package dev.limpet.operator.rollout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The applied version of each replica, asked at most once per {@code maxAge} per replica however
 * many VirtualServices of its group reconcile at once: they share one answer, and one call in
 * flight; but never an answer asked before the configuration they wait for was written, which could
 * only say "not yet" (once per configuration: a new VirtualService then needs no recheck).
 */
public final class ReplicaVersions {
  private final ReplicaSamples<Optional<String>> samples;

  public ReplicaVersions(AdminEndpoint endpoint, Duration maxAge, LongSupplier nanoTime) {
    this.samples = new ReplicaSamples<>(endpoint::appliedVersion, maxAge, nanoTime);
  }

  /** Each replica's applied version, empty for one that did not answer. */
  public Map<DataPlanePods.Replica, Optional<String>> of(List<DataPlanePods.Replica> replicas) {
    return samples.of(replicas);
  }

  /**
   * Each replica's applied version, from an answer asked at {@code notBeforeNanos} or later (an
   * earlier one cannot show a configuration written since), empty for one that did not answer.
   */
  public Map<DataPlanePods.Replica, Optional<String>> of(
      List<DataPlanePods.Replica> replicas, long notBeforeNanos) {
    return samples.of(replicas, notBeforeNanos);
  }
}
