package dev.limpet.operator.reconciler;

import static dev.limpet.operator.RunningOperator.eventually;
import static dev.limpet.operator.TestResources.staticPool;
import static dev.limpet.operator.TestResources.virtualService;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.operator.FakeDataPlane;
import dev.limpet.operator.TestResources;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.api.VirtualServiceSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceStatusBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Programmed follows what the data-plane replicas report on their admin port (real HTTP servers on
 * 127.0.0.x), and each VirtualService is exposed by a Service whose address shows in its status.
 */
class VirtualServiceRolloutTest extends OperatorOnMockApi {

  @BeforeEach
  void start() {
    operator.create(staticPool("p", null, "10.0.0.1"));
  }

  @Test
  void programmedWaitsForEveryReadyReplicaOfTheGroup() throws Exception {
    try (var behind =
        new FakeDataPlane(client, TestResources.NS, "default", "dataplane-1", "127.0.0.4")) {
      behind.pin("0000old");
      operator.create(virtualService("web", 80, "p"));

      eventually()
          .untilAsserted(
              () -> {
                Condition programmed = condition("web", "Programmed");
                assertThat(programmed.getStatus()).isEqualTo("False");
                assertThat(programmed.getReason()).isEqualTo("Applying");
                assertThat(programmed.getMessage())
                    .startsWith("1 of 2 ready replicas of data-plane group 'default' apply")
                    .endsWith("waiting for dataplane-1 (at 0000old).");
              });

      behind.pin(null);

      eventually()
          .untilAsserted(
              () -> {
                Condition programmed = condition("web", "Programmed");
                assertThat(programmed.getStatus()).isEqualTo("True");
                assertThat(programmed.getMessage())
                    .contains(behind.version().orElseThrow())
                    .endsWith("every ready replica of data-plane group 'default' (2).");
                assertThat(condition("web", "Ready").getStatus()).isEqualTo("True");
              });
    }
  }

  @Test
  void aRolloutKeepsReadyTrueWhileEveryReadyReplicaStillServes() throws Exception {
    try (var behind =
        new FakeDataPlane(client, TestResources.NS, "default", "dataplane-1", "127.0.0.4")) {
      operator.create(virtualService("web", 80, "p"));
      eventually()
          .untilAsserted(
              () -> assertThat(condition("web", "Programmed").getReason()).isEqualTo("Programmed"));
      List<String> readySeen = new CopyOnWriteArrayList<>();
      try (Watch watch = watchReady("web", readySeen)) {
        // the replica keeps serving the configuration it applied, which holds web
        behind.pin(behind.version().orElseThrow());
        // a new configuration of the group: web edited, and another VirtualService
        operator.edit(
            VirtualService.class,
            "web",
            vs ->
                vs.setSpec(TestResources.withHostnames(vs.getSpec(), List.of("web.example.com"))));
        operator.create(virtualService("api", 81, "p"));

        eventually()
            .untilAsserted(
                () -> {
                  Condition programmed = condition("web", "Programmed");
                  assertThat(programmed.getReason()).isEqualTo("Applying");
                  assertThat(programmed.getStatus()).isEqualTo("True");
                  assertThat(programmed.getMessage())
                      .startsWith("Served by every ready replica; 1 of 2 ready replicas")
                      .contains("waiting for dataplane-1");
                  assertThat(condition("web", "Ready").getStatus()).isEqualTo("True");
                  // the new one is served by no replica yet: not Ready
                  assertThat(condition("api", "Programmed").getStatus()).isEqualTo("False");
                  assertThat(condition("api", "Ready").getStatus()).isEqualTo("False");
                });

        behind.pin(null);

        eventually()
            .untilAsserted(
                () -> {
                  assertThat(condition("web", "Programmed").getReason()).isEqualTo("Programmed");
                  assertThat(condition("api", "Ready").getStatus()).isEqualTo("True");
                });
      }
      assertThat(readySeen).isNotEmpty().containsOnly("True");
    }
  }

  /** Records the Ready status of every version of {@code name} the API reports. */
  private Watch watchReady(String name, List<String> seen) {
    return client
        .resources(VirtualService.class)
        .inNamespace(TestResources.NS)
        .withName(name)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, VirtualService vs) {
                if (vs.getStatus() == null || vs.getStatus().conditions() == null) return;
                vs.getStatus().conditions().stream()
                    .filter(c -> c.getType().equals("Ready"))
                    .forEach(c -> seen.add(c.getStatus()));
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }

  @Test
  void withoutAReadyReplicaNothingIsProgrammed() {
    operator.create(virtualService("web", 80, "p"));
    eventually()
        .untilAsserted(
            () -> assertThat(condition("web", "Programmed").getStatus()).isEqualTo("True"));

    client
        .pods()
        .inNamespace(TestResources.NS)
        .withName("dataplane-0")
        .editStatus(
            pod -> {
              pod.getStatus().getConditions().get(0).setStatus("False");
              return pod;
            });

    eventually()
        .untilAsserted(
            () -> {
              Condition programmed = condition("web", "Programmed");
              assertThat(programmed.getReason()).isEqualTo("NoReadyReplicas");
              assertThat(programmed.getMessage())
                  .contains("no data-plane replica of group 'default' is ready")
                  .contains("app.kubernetes.io/name=limpet-dataplane");
            });
    assertThat(operator.events("web")).extracting(e -> e.getReason()).contains("NoReadyReplicas");
  }

  @Test
  void aClusterIpServiceSelectsTheGroupsPodsAndItsAddressShows() {
    operator.create(virtualService("web", 8080, "p"));

    eventually().until(() -> service("limpet-vs-web") != null);
    Service service = service("limpet-vs-web");
    assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(service.getSpec().getSelector())
        .isEqualTo(
            Map.of(
                "app.kubernetes.io/name", "limpet-dataplane",
                "limpet.dev/data-plane-group", "default"));
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            port -> {
              assertThat(port.getPort()).isEqualTo(8080);
              assertThat(port.getTargetPort().getIntVal()).isEqualTo(8080);
            });
    assertThat(service.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            owner -> {
              assertThat(owner.getKind()).isEqualTo("VirtualService");
              assertThat(owner.getName()).isEqualTo("web");
              assertThat(owner.getController()).isTrue();
            });
    assertThat(service.getMetadata().getLabels())
        .containsEntry("limpet.dev/virtual-service", "web");
    // the selector matches the data-plane pod of the group
    Pod replica = client.pods().inNamespace(TestResources.NS).withName("dataplane-0").get();
    assertThat(replica.getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());

    // the mock API server assigns no cluster IP: do what the real one does
    client
        .services()
        .inNamespace(TestResources.NS)
        .withName("limpet-vs-web")
        .edit(
            s -> {
              s.getSpec().setClusterIP("10.96.0.10");
              return s;
            });

    eventually()
        .untilAsserted(
            () ->
                assertThat(operator.get(VirtualService.class, "web").getStatus().address())
                    .isEqualTo("10.96.0.10:8080"));
  }

  @Test
  void loadBalancerAndNodePortServicesShowWhereTheyAreReached() {
    operator.create(exposed("public", 443, VirtualServiceSpec.ServiceType.LoadBalancer, null));
    operator.create(exposed("nodes", 8443, VirtualServiceSpec.ServiceType.NodePort, 30080));

    eventually()
        .until(() -> service("limpet-vs-public") != null && service("limpet-vs-nodes") != null);
    assertThat(service("limpet-vs-public").getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(service("limpet-vs-nodes").getSpec().getPorts().get(0).getNodePort())
        .isEqualTo(30080);
    client
        .services()
        .inNamespace(TestResources.NS)
        .withName("limpet-vs-public")
        .editStatus(
            s -> {
              // what a cloud load balancer controller writes once it has an address
              s.setStatus(
                  new ServiceStatusBuilder()
                      .withNewLoadBalancer()
                      .withIngress(new LoadBalancerIngressBuilder().withIp("203.0.113.7").build())
                      .endLoadBalancer()
                      .build());
              return s;
            });

    eventually()
        .untilAsserted(
            () -> {
              assertThat(operator.get(VirtualService.class, "public").getStatus().address())
                  .isEqualTo("203.0.113.7:443");
              assertThat(operator.get(VirtualService.class, "nodes").getStatus().address())
                  .isEqualTo("*:30080");
            });
  }

  private VirtualService exposed(
      String name, int port, VirtualServiceSpec.ServiceType type, Integer nodePort) {
    VirtualService vs = virtualService(name, port, "p");
    vs.setSpec(
        TestResources.withExposure(vs.getSpec(), new VirtualServiceSpec.Exposure(type, nodePort)));
    return vs;
  }

  private Service service(String name) {
    return client.services().inNamespace(TestResources.NS).withName(name).get();
  }

  private Condition condition(String name, String type) {
    return operator.condition(VirtualService.class, name, type).orElseThrow();
  }
}
