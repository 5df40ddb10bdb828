package dev.limpet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.e2e.local.LimpetResources;
import dev.limpet.e2e.local.LocalCluster;
import dev.limpet.e2e.local.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** What a user applies or deletes during a test, as YAML, and waiting for its status. */
final class Changes {
  private Changes() {}

  /** Applies a YAML document (kubectl apply -f -). */
  static List<HasMetadata> apply(LocalCluster cluster, String yaml) {
    return Manifests.apply(
        cluster.kubernetes(), new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }

  static void applyVirtualService(LocalCluster cluster, String name, int port, String pool) {
    apply(
        cluster,
        """
        apiVersion: limpet.dev/v1alpha1
        kind: VirtualService
        metadata: {name: %s}
        spec: {port: %d, pool: %s}
        """
            .formatted(name, port, pool));
  }

  static void awaitReady(LocalCluster cluster, String virtualService, Duration atMost) {
    await(virtualService + " Ready")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                assertThat(
                        cluster
                            .resources()
                            .condition("VirtualService", virtualService, "Ready")
                            .map(LimpetResources.Condition::isTrue))
                    .contains(true));
  }

  static void delete(LocalCluster cluster, String kind, String name) {
    cluster.resources().delete(kind, name);
  }
}
