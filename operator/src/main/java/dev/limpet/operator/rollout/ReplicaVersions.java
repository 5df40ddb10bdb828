package dev.limpet.operator.rollout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The applied version of each replica, asked at most once per {@code maxAge} per replica however
 * many VirtualServices of its group reconcile at once (see {@link ReplicaSamples}).
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
}
