package dev.limpet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.e2e.local.LimpetResources;
import dev.limpet.e2e.local.LimpetResources.Condition;
import dev.limpet.e2e.local.LocalCluster;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Resources that the API server accepts but that cannot work: each one's status says why in words a
 * user can act on, and nothing else breaks (the examples keep serving and stay Ready).
 */
@ExtendWith(SharedCluster.class)
@Timeout(180)
class BrokenResourceTest {
  final LocalCluster cluster = SharedCluster.cluster();
  final LimpetResources resources = cluster.resources();

  @AfterEach
  void removeThem() {
    resources.delete("VirtualService", "broken-port");
    resources.delete("VirtualService", "broken-pool-ref");
    resources.delete("VirtualService", "broken-script-user");
    resources.delete("DataScript", "broken-script");
    resources.delete("Pool", "broken-service-ref");
  }

  @Test
  void eachBrokenResourceExplainsItselfAndNothingElseBreaks() throws Exception {
    Changes.apply(
        cluster,
        """
        apiVersion: limpet.dev/v1alpha1
        kind: Pool
        metadata: {name: broken-service-ref}
        spec: {service: {name: no-such-service, port: http}}
        ---
        apiVersion: limpet.dev/v1alpha1
        kind: VirtualService
        metadata: {name: broken-pool-ref}
        spec: {port: 8090, pool: no-such-pool}
        ---
        apiVersion: limpet.dev/v1alpha1
        kind: VirtualService
        metadata: {name: broken-port}
        spec: {port: 8080, pool: client-ip}
        ---
        apiVersion: limpet.dev/v1alpha1
        kind: DataScript
        metadata: {name: broken-script}
        spec:
          events:
            httpRequest: |
              if avi.http.get_header("x") then
        ---
        apiVersion: limpet.dev/v1alpha1
        kind: VirtualService
        metadata: {name: broken-script-user}
        spec: {port: 8091, pool: client-ip, dataScripts: [broken-script]}
        """);

    awaitNotReady("Pool", "broken-service-ref", "no-such-service");
    awaitNotReady("VirtualService", "broken-pool-ref", "no-such-pool");
    awaitNotReady("VirtualService", "broken-port", "8080");
    awaitNotReady("DataScript", "broken-script", "line");
    awaitNotReady("VirtualService", "broken-script-user", "broken-script");
    assertThat(
            resources.condition("VirtualService", "broken-port", "Accepted").orElseThrow().reason())
        .isEqualTo("PortConflict");
    assertThat(
            resources.condition("DataScript", "broken-script", "Compiled").orElseThrow().reason())
        .isEqualTo("SyntaxError");

    SharedCluster.awaitAllReady();
    for (int replica = 0; replica < 2; replica++) {
      assertThat(Replicas.get(replica, ExamplesTest.HTTP_COOKIE, Map.of()).status()).isEqualTo(200);
      assertThat(Replicas.get(replica, ExamplesTest.CLIENT_IP, Map.of()).status()).isEqualTo(200);
    }
  }

  private void awaitNotReady(String kind, String name, String messageMentions) {
    await(kind + "/" + name + " explains why it is not ready")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              // an AssertionError, not NoSuchElementException: awaitility retries only the former
              Condition ready =
                  resources
                      .condition(kind, name, "Ready")
                      .orElseThrow(() -> new AssertionError("no Ready condition yet"));
              assertThat(ready.isTrue()).isFalse();
              assertThat(ready.message()).contains(messageMentions);
            });
    System.out.printf(
        "E2E STATUS %s/%s: %s%n",
        kind, name, resources.condition(kind, name, "Ready").orElseThrow());
  }
}
