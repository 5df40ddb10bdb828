package dev.limpet.operator.decode;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The process's one client of the API for Limpet resources, reading them tolerantly ({@link
 * TolerantDecoding}) and recording what it could not read in {@link #problems()}. Built once: the
 * reconcilers, the webhook's informers and the webhook's reviews all read through it, so a resource
 * that one of them can read, all of them can.
 */
public final class TolerantClient implements AutoCloseable {
  private final KubernetesClient client;
  private final SpecProblems problems;

  private TolerantClient(KubernetesClient client, SpecProblems problems) {
    this.client = client;
    this.problems = problems;
  }

  /** A tolerant client on {@code plain}'s configuration (the plain one is left as it is). */
  public static TolerantClient over(KubernetesClient plain) {
    SpecProblems problems = new SpecProblems();
    return new TolerantClient(
        new KubernetesClientBuilder()
            .withConfig(plain.getConfiguration())
            .withKubernetesSerialization(TolerantDecoding.serialization(problems))
            .build(),
        problems);
  }

  public KubernetesClient client() {
    return client;
  }

  public SpecProblems problems() {
    return problems;
  }

  public KubernetesSerialization serialization() {
    return client.getKubernetesSerialization();
  }

  /**
   * Reads {@code raw} (an object as an AdmissionReview carries it, not stored yet) as {@code type}
   * the way the informers will: what its spec has that cannot be read ({@code spec.port: ...}), if
   * anything. Unknown fields are no problem (an API server prunes them). The record is made under a
   * uid of the review's own and dropped, so it never speaks for the stored object.
   */
  public Optional<String> specProblem(Object raw, Class<? extends HasMetadata> type) {
    @SuppressWarnings("unchecked")
    Map<String, Object> object = new LinkedHashMap<>(serialization().convertValue(raw, Map.class));
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata =
        new LinkedHashMap<>(
            object.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
    String uid = "review-" + UUID.randomUUID();
    metadata.put("uid", uid);
    object.put("metadata", metadata);
    HasMetadata read = serialization().convertValue(object, type);
    try {
      return problems.of(read);
    } finally {
      problems.forget(uid);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
