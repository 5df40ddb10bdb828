package dev.limpet.operator.reconciler;

import static dev.limpet.operator.RunningOperator.eventually;
import static dev.limpet.operator.TestResources.staticPool;
import static dev.limpet.operator.TestResources.virtualService;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.ConfigLoader;
import dev.limpet.operator.ApiCall;
import dev.limpet.operator.FakeDataPlane;
import dev.limpet.operator.LimpetOperator;
import dev.limpet.operator.RunningOperator;
import dev.limpet.operator.TestResources;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.rollout.HttpAdminEndpoint;
import dev.limpet.operator.validation.ContractScriptCompiler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The API writes one VirtualService change costs, in a group that already serves another: what a
 * group of 1,000 pays per member. A create writes its Service, the group's ConfigMap and its status
 * (three times at most: Applying, Applying at the new version, Programmed); an edit the ConfigMap
 * and the status; a deletion the ConfigMap alone. No Event (the happy path), no finalizer, no other
 * VirtualService's status.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(90)
class OneChangeWritesTest {
  KubernetesClient client;
  KubernetesMockServer server;
  private Operator operator;
  private FakeDataPlane replica;
  private RunningOperator api;

  @BeforeEach
  void start() throws Exception {
    replica = new FakeDataPlane(client, TestResources.NS, "default", "dataplane-0", "127.0.0.2");
    operator =
        LimpetOperator.create(
            ApiCall.operatorClient(client),
            Set.of(),
            new ContractScriptCompiler(),
            Clock.systemUTC(),
            new HttpAdminEndpoint(),
            o -> {});
    operator.start();
    api = new RunningOperator(client);
    api.create(staticPool("p", null, "10.0.0.1"));
    api.create(virtualService("web", 80, "p"));
    settled(List.of("web"));
    // the Pool's and the default profiles' first status writes belong to the set-up, not the change
    eventually()
        .untilAsserted(
            () -> {
              assertThat(api.condition(Pool.class, "p", "Ready")).isPresent();
              var profiles =
                  client.resources(PersistenceProfile.class).inNamespace(TestResources.NS).list();
              assertThat(profiles.getItems())
                  .isNotEmpty()
                  .allSatisfy(
                      profile ->
                          assertThat(profile.getStatus())
                              .isNotNull()
                              .extracting(s -> s.observedGeneration())
                              .isEqualTo(profile.getMetadata().getGeneration()));
            });
  }

  @AfterEach
  void stop() {
    if (operator != null) operator.stop();
    replica.close();
  }

  @Test
  void aCreateWritesItsServiceTheConfigMapAndItsStatus() throws Exception {
    ApiCall.drain(server);
    api.create(virtualService("api", 81, "p"));
    settled(List.of("web", "api"));

    Map<String, Long> writes = writes();
    assertThat(writes.remove("create services")).isEqualTo(1L);
    assertThat(writes.remove("patch configmaps")).isEqualTo(1L);
    // the second Applying only when the replica's earlier answer is no longer trusted
    assertThat(writes.remove("patch virtualservices/status")).isBetween(1L, 3L);
    assertThat(writes).as("no other write").isEmpty();
  }

  @Test
  void anEditWritesTheConfigMapAndItsStatus() throws Exception {
    ApiCall.drain(server);
    api.edit(
        VirtualService.class,
        "web",
        vs -> vs.setSpec(TestResources.withHostnames(vs.getSpec(), List.of("web.example.com"))));
    eventually()
        .untilAsserted(
            () -> assertThat(api.groupConfig("default").orElseThrow()).contains("web.example.com"));
    settled(List.of("web"));

    Map<String, Long> writes = writes();
    assertThat(writes.remove("patch configmaps")).isEqualTo(1L);
    assertThat(writes.remove("patch virtualservices/status")).isBetween(1L, 2L);
    assertThat(writes).as("no other write").isEmpty();
  }

  @Test
  void aDeletionWritesTheConfigMapAlone() throws Exception {
    api.create(virtualService("api", 81, "p"));
    settled(List.of("web", "api"));
    ApiCall.drain(server);
    client.resources(VirtualService.class).inNamespace(TestResources.NS).withName("api").delete();
    eventually()
        .untilAsserted(
            () ->
                assertThat(
                        ConfigLoader.parse(api.groupConfig("default").orElseThrow())
                            .virtualServices())
                    .extracting(v -> v.name())
                    .containsExactly("web"));

    assertThat(writes()).containsExactly(Map.entry("patch configmaps", 1L));
  }

  /** Every VirtualService named is Programmed at its generation, by the replica's answer. */
  private void settled(List<String> names) {
    eventually()
        .untilAsserted(
            () -> {
              for (String name : names) {
                VirtualService vs = api.get(VirtualService.class, name);
                var programmed =
                    api.condition(VirtualService.class, name, "Programmed").orElseThrow();
                assertThat(programmed.getReason()).isEqualTo("Programmed");
                assertThat(programmed.getObservedGeneration())
                    .isEqualTo(vs.getMetadata().getGeneration());
              }
            });
  }

  /** The operator's writes since the last drain, by verb and resource. */
  private Map<String, Long> writes() throws InterruptedException {
    Map<String, Long> writes = new TreeMap<>();
    for (ApiCall call : ApiCall.drain(server))
      if (!Set.of("get", "list", "watch").contains(call.verb()))
        writes.merge(call.verb() + " " + call.resource(), 1L, Long::sum);
    return writes;
  }
}
