package dev.limpet.operator.rollout;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Asks one data-plane replica what it applied and how its DataScripts fare. */
@FunctionalInterface
public interface AdminEndpoint {
  /** The replica's applied version; empty when it does not answer or has none. Never fails. */
  CompletableFuture<Optional<String>> appliedVersion(DataPlanePods.Replica replica);

  /**
   * The replica's {@code avi.pool.select} fallbacks since it started ({@code GET /datascripts}):
   * per DataScript, the count by reason; empty when it does not answer. Never fails.
   */
  default CompletableFuture<Optional<Map<String, Map<String, Long>>>> selectionFallbacks(
      DataPlanePods.Replica replica) {
    return CompletableFuture.completedFuture(Optional.empty());
  }
}
