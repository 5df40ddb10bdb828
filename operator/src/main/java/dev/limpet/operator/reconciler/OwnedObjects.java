package dev.limpet.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;

/**
 * The one way the operator writes the objects it makes (a group's ConfigMap and TLS Secret, an
 * exposure Service, the default profiles): created when the cache shows none, JSON-merge-patched
 * when the cache shows one that differs, and nothing when it matches (the caller compares). The
 * cache may lag behind a create of a moment ago (409 Conflict), and a namespace being deleted
 * refuses every create (403, {@link NamespaceTermination}): both are expected and settled here.
 * Merge patches rather than server-side apply, so a real cluster and the fabric8 mock API server
 * behave alike.
 */
final class OwnedObjects {
  private final KubernetesClient client;

  OwnedObjects(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Creates {@code desired}; one of that name created a moment ago (which the cache does not show
   * yet, maybe someone else's) is left as it is, and so is a namespace being deleted.
   */
  void create(HasMetadata desired) {
    try {
      client.resource(desired).create();
    } catch (KubernetesClientException e) {
      if (!NamespaceTermination.refused(e) && e.getCode() != HttpURLConnection.HTTP_CONFLICT)
        throw e;
    }
  }

  /**
   * Makes {@code desired} so: created when {@code exists} is false (and patched when it turns out
   * to exist after all), else merge-patched with {@code mergePatch}.
   */
  void createOrPatch(HasMetadata desired, boolean exists, String mergePatch) {
    if (!exists) {
      try {
        client.resource(desired).create();
        return;
      } catch (KubernetesClientException e) {
        if (NamespaceTermination.refused(e)) return;
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) throw e;
      }
    }
    patch(desired, mergePatch);
  }

  /** Merge-patches the object {@code desired} names with {@code mergePatch}. */
  void patch(HasMetadata desired, String mergePatch) {
    client.resource(desired).patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
  }

  /** Merge-patches the object {@code desired} names to what it says. */
  void patch(HasMetadata desired) {
    patch(desired, client.getKubernetesSerialization().asJson(desired));
  }

  void delete(HasMetadata current) {
    client.resource(current).delete();
  }
}
