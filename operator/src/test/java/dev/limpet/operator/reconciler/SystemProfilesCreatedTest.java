package dev.limpet.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.operator.ApiCall;
import dev.limpet.operator.MapNamespaceView;
import dev.limpet.operator.TestResources;
import dev.limpet.operator.api.PersistenceProfile;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pools reconciled before the cache shows the default profiles just created do not create them
 * again; a profile the cache showed and then lost (deleted) is created again.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(30)
class SystemProfilesCreatedTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  KubernetesClient client;
  KubernetesMockServer server;

  @Test
  void theProfilesAreCreatedOnceWhileTheCacheLags() throws Exception {
    var created = new SystemProfiles.Created(Clock.fixed(NOW, ZoneOffset.UTC));
    var lagging = new MapNamespaceView(List.of()); // the cache does not show them yet
    try (KubernetesClient operator = ApiCall.operatorClient(client)) {
      ApiCall.drain(server);
      for (int pool = 0; pool < 3; pool++) created.ensure(operator, TestResources.NS, lagging);
      assertThat(ApiCall.drain(server))
          .filteredOn(call -> call.verb().equals("create"))
          .hasSize(SystemProfiles.defaults(TestResources.NS).size());

      // the cache showed one, then its deletion: it is created again
      PersistenceProfile clientIp = SystemProfiles.defaults(TestResources.NS).get(0);
      created.seen(clientIp);
      client.resource(clientIp).delete();
      created.ensure(operator, TestResources.NS, lagging);
      assertThat(ApiCall.drain(server)).filteredOn(call -> call.verb().equals("create")).hasSize(1);
    }
  }
}
