package dev.limpet.operator.rollout;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Asks one data-plane replica which configuration version it has applied. */
@FunctionalInterface
public interface AdminEndpoint {
  /** The replica's applied version; empty when it does not answer or has none. Never fails. */
  CompletableFuture<Optional<String>> appliedVersion(DataPlanePods.Replica replica);
}
