package dev.limpet.operator.decode;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Why the spec of a resource could not be read: the deserializer records it, the reconciler of the
 * resource turns it into a condition. Keyed by uid and generation (which only a spec change moves,
 * so the operator's own status patches keep the record); a later generation that reads cleanly
 * clears it. A clean read of the same generation does not: JOSDK clones a resource through the
 * serialization, and the clone of a resource without its spec reads cleanly.
 */
public final class SpecProblems {
  private record Problem(Long generation, String message) {}

  private final Map<String, Problem> byUid = new ConcurrentHashMap<>();

  void record(HasMetadata resource, String message) {
    String uid = resource.getMetadata().getUid();
    if (uid != null) byUid.put(uid, new Problem(resource.getMetadata().getGeneration(), message));
  }

  void readCleanly(HasMetadata resource) {
    String uid = resource.getMetadata().getUid();
    Long generation = resource.getMetadata().getGeneration();
    if (uid == null) return;
    byUid.computeIfPresent(
        uid,
        (u, p) ->
            p.generation() == null || generation == null || generation > p.generation() ? null : p);
  }

  void forget(String uid) {
    byUid.remove(uid);
  }

  /** What could not be read in this generation of {@code resource}'s spec, if anything. */
  public Optional<String> of(HasMetadata resource) {
    String uid = resource.getMetadata().getUid();
    if (uid == null) return Optional.empty();
    Problem p = byUid.get(uid);
    if (p == null || !Objects.equals(p.generation(), resource.getMetadata().getGeneration()))
      return Optional.empty();
    return Optional.of(p.message());
  }
}
