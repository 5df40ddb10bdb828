package dev.limpet.e2e.local;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Limpet resources as {@code kubectl get} shows them: kind, name and status conditions. */
public final class LimpetResources {
  public static final String API_VERSION = "limpet.dev/v1alpha1";
  public static final List<String> KINDS =
      List.of("PersistenceProfile", "Pool", "DataScript", "VirtualService");

  /** One status condition, as written by the operator. */
  public record Condition(String type, String status, String reason, String message) {
    public boolean isTrue() {
      return "True".equals(status);
    }

    @Override
    public String toString() {
      return type + "=" + status + " " + reason + ": " + message;
    }
  }

  private final KubernetesClient kube;

  public LimpetResources(KubernetesClient kube) {
    this.kube = kube;
  }

  public List<GenericKubernetesResource> list(String kind) {
    return kube.genericKubernetesResources(API_VERSION, kind)
        .inNamespace(LocalSettings.NAMESPACE)
        .list()
        .getItems();
  }

  public Optional<GenericKubernetesResource> get(String kind, String name) {
    return Optional.ofNullable(
        kube.genericKubernetesResources(API_VERSION, kind)
            .inNamespace(LocalSettings.NAMESPACE)
            .withName(name)
            .get());
  }

  /** Deletes a resource (kubectl delete). */
  public void delete(String kind, String name) {
    kube.genericKubernetesResources(API_VERSION, kind)
        .inNamespace(LocalSettings.NAMESPACE)
        .withName(name)
        .delete();
  }

  /** The condition {@code type} of the resource, when it has one. */
  public Optional<Condition> condition(String kind, String name, String type) {
    return get(kind, name)
        .flatMap(r -> conditions(r).stream().filter(c -> c.type().equals(type)).findFirst());
  }

  /** The status conditions of {@code resource}, empty before the operator wrote any. */
  @SuppressWarnings("unchecked")
  public static List<Condition> conditions(GenericKubernetesResource resource) {
    Object status = resource.getAdditionalProperties().get("status");
    if (!(status instanceof Map<?, ?> map) || !(map.get("conditions") instanceof List<?> list))
      return List.of();
    return list.stream()
        .map(c -> (Map<String, Object>) c)
        .map(
            c ->
                new Condition(
                    String.valueOf(c.get("type")),
                    String.valueOf(c.get("status")),
                    String.valueOf(c.get("reason")),
                    String.valueOf(c.get("message"))))
        .toList();
  }

  /** The Ready condition of {@code resource}, once the operator wrote one. */
  public static Optional<Condition> ready(GenericKubernetesResource resource) {
    return conditions(resource).stream().filter(c -> c.type().equals("Ready")).findFirst();
  }
}
