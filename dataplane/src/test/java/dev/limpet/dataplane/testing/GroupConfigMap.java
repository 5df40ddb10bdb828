package dev.limpet.dataplane.testing;

import dev.limpet.contract.DataPlaneGroup;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A data-plane group's ConfigMap written as the operator publishes it, for the data plane to read.
 */
public final class GroupConfigMap {
  private GroupConfigMap() {}

  /** Creates or replaces ConfigMap {@code namespace/name} holding {@code document}. */
  public static void write(
      KubernetesClient client, String namespace, String name, String document) {
    client
        .configMaps()
        .inNamespace(namespace)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .addToData(DataPlaneGroup.CONFIG_KEY, document)
                .build())
        .createOr(existing -> existing.update());
  }
}
