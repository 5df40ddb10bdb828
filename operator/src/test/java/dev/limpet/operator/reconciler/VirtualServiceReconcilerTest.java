package dev.limpet.operator.reconciler;

import static dev.limpet.operator.RunningOperator.eventually;
import static dev.limpet.operator.TestResources.staticPool;
import static dev.limpet.operator.TestResources.virtualService;
import static dev.limpet.operator.TestResources.withAddress;
import static dev.limpet.operator.TestResources.withHostnames;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.ConfigLoader;
import dev.limpet.contract.DataPlaneConfig;
import dev.limpet.operator.TestResources;
import dev.limpet.operator.api.VirtualService;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualServiceReconcilerTest extends OperatorOnMockApi {

  @Test
  void aVirtualServiceAnEarlierOperatorLeftAFinalizerOnGoesWithItsGroupRewritten() {
    operator.create(staticPool("p", null, "10.0.0.1"));
    operator.create(virtualService("stays", 80, "p"));
    VirtualService old = virtualService("old", 81, "p");
    old.getMetadata().setFinalizers(List.of(GroupOwner.LEGACY_FINALIZER));
    operator.create(old);
    eventually()
        .untilAsserted(
            () -> {
              assertThat(condition("old", "Ready").getStatus()).isEqualTo("True");
              assertThat(operator.groupConfig("default").orElseThrow())
                  .contains("{\"name\":\"old\"");
            });

    client.resources(VirtualService.class).inNamespace(TestResources.NS).withName("old").delete();

    eventually()
        .untilAsserted(
            () -> {
              assertThat(
                      client
                          .resources(VirtualService.class)
                          .inNamespace(TestResources.NS)
                          .withName("old")
                          .get())
                  .isNull();
              assertThat(
                      ConfigLoader.parse(operator.groupConfig("default").orElseThrow())
                          .virtualServices())
                  .extracting(v -> v.name())
                  .containsExactly("stays");
            });
  }

  @Test
  void aMissingPoolIsNamedUntilItIsCreatedThenTheServiceIsProgrammed() throws Exception {
    operator.create(virtualService("web", 8080, "shop-pool"));

    eventually()
        .untilAsserted(
            () -> {
              assertThat(condition("web", "Accepted").getStatus()).isEqualTo("True");
              Condition refs = condition("web", "ResolvedRefs");
              assertThat(refs.getStatus()).isEqualTo("False");
              assertThat(refs.getReason()).isEqualTo("RefNotFound");
              assertThat(refs.getMessage()).contains("Pool 'shop-pool'");
              assertThat(condition("web", "Programmed").getStatus()).isEqualTo("False");
              assertThat(condition("web", "Ready").getReason()).isEqualTo("RefNotFound");
            });
    String missingSince = condition("web", "ResolvedRefs").getLastTransitionTime();
    assertThat(exposure("web")).as("no Service for a VirtualService with no listener").isNull();

    operator.create(staticPool("shop-pool", null, "10.0.0.1"));

    eventually()
        .untilAsserted(
            () -> {
              Condition refs = condition("web", "ResolvedRefs");
              assertThat(refs.getStatus()).isEqualTo("True");
              assertThat(refs.getObservedGeneration()).isEqualTo(1L);
              assertThat(condition("web", "Programmed").getStatus()).isEqualTo("True");
              assertThat(condition("web", "Ready").getStatus()).isEqualTo("True");
              assertThat(exposure("web")).isNotNull();
            });
    assertThat(condition("web", "ResolvedRefs").getLastTransitionTime())
        .isGreaterThanOrEqualTo(missingSince);
    DataPlaneConfig config = ConfigLoader.parse(operator.groupConfig("default").orElseThrow());
    assertThat(config.virtualServices()).extracting(v -> v.name()).containsExactly("web");
    assertThat(config.pools().get(0).servers())
        .extracting(s -> s.key())
        .containsExactly("10.0.0.1:8080");
    assertThat(condition("web", "Programmed").getMessage()).contains(config.version());
    assertThat(operator.events("web")).extracting(e -> e.getReason()).contains("RefNotFound");
  }

  @Test
  void theNewerOfTwoServicesOnOnePortLosesUntilTheirHostnamesAreDisjoint() throws Exception {
    operator.create(staticPool("p", null, "10.0.0.1"));
    operator.create(virtualService("first", 80, "p"));
    eventually()
        .untilAsserted(() -> assertThat(condition("first", "Ready").getStatus()).isEqualTo("True"));

    operator.create(virtualService("second", 80, "p"));

    eventually()
        .untilAsserted(
            () -> {
              Condition accepted = condition("second", "Accepted");
              assertThat(accepted.getStatus()).isEqualTo("False");
              assertThat(accepted.getReason()).isEqualTo("PortConflict");
              assertThat(accepted.getMessage()).contains("'first'").contains("no hostnames");
            });
    assertThat(condition("first", "Ready").getStatus()).isEqualTo("True");
    assertThat(ConfigLoader.parse(operator.groupConfig("default").orElseThrow()).virtualServices())
        .extracting(v -> v.name())
        .containsExactly("first");
    assertThat(exposure("second")).as("its clients would reach first's listener").isNull();

    operator.edit(
        VirtualService.class,
        "second",
        vs -> vs.setSpec(withHostnames(vs.getSpec(), List.of("b.example.com"))));

    eventually()
        .untilAsserted(
            () -> {
              assertThat(condition("second", "Accepted").getStatus()).isEqualTo("True");
              assertThat(condition("second", "Ready").getStatus()).isEqualTo("True");
              assertThat(
                      ConfigLoader.parse(operator.groupConfig("default").orElseThrow())
                          .virtualServices())
                  .extracting(v -> v.name())
                  .containsExactly("first", "second");
              assertThat(exposure("second")).isNotNull();
            });
    assertThat(operator.events("second"))
        .extracting(e -> e.getReason())
        .containsOnlyOnce("PortConflict", "Ready")
        .doesNotContain("Pending");

    // losing the port again withdraws its Service
    operator.edit(
        VirtualService.class, "second", vs -> vs.setSpec(withHostnames(vs.getSpec(), List.of())));
    eventually()
        .untilAsserted(
            () -> {
              assertThat(condition("second", "Accepted").getReason()).isEqualTo("PortConflict");
              assertThat(exposure("second")).isNull();
            });
    assertThat(exposure("first")).isNotNull();
  }

  @Test
  void anInvalidSpecIsNotAcceptedAndTheGroupKeepsServingTheOthers() throws Exception {
    operator.create(staticPool("p", null, "10.0.0.1"));
    operator.create(virtualService("good", 80, "p"));
    VirtualService bad = virtualService("bad", 81, "p");
    bad.setSpec(withAddress(bad.getSpec(), "not-an-ip"));
    operator.create(bad);

    eventually()
        .untilAsserted(
            () -> {
              Condition accepted = condition("bad", "Accepted");
              assertThat(accepted.getStatus()).isEqualTo("False");
              assertThat(accepted.getReason()).isEqualTo("Invalid");
              assertThat(accepted.getMessage()).startsWith("spec.address: ");
              assertThat(condition("good", "Ready").getStatus()).isEqualTo("True");
            });
    assertThat(ConfigLoader.parse(operator.groupConfig("default").orElseThrow()).virtualServices())
        .extracting(v -> v.name())
        .containsExactly("good");

    operator.edit(
        VirtualService.class, "bad", vs -> vs.setSpec(withAddress(vs.getSpec(), "127.0.0.1")));

    eventually()
        .untilAsserted(
            () -> {
              assertThat(condition("bad", "Accepted").getStatus()).isEqualTo("True");
              assertThat(condition("bad", "Accepted").getObservedGeneration()).isEqualTo(2L);
              assertThat(condition("bad", "Ready").getStatus()).isEqualTo("True");
            });
  }

  @Test
  void deletingAVirtualServiceRemovesItFromTheGroup() throws Exception {
    operator.create(staticPool("p", null, "10.0.0.1"));
    operator.create(virtualService("a", 80, "p"));
    operator.create(virtualService("b", 81, "p"));
    eventually()
        .untilAsserted(
            () ->
                assertThat(
                        ConfigLoader.parse(operator.groupConfig("default").orElseThrow())
                            .virtualServices())
                    .hasSize(2));

    client.resource(operator.get(VirtualService.class, "a")).delete();

    eventually()
        .untilAsserted(
            () -> {
              assertThat(operator.get(VirtualService.class, "a")).isNull();
              assertThat(
                      ConfigLoader.parse(operator.groupConfig("default").orElseThrow())
                          .virtualServices())
                  .extracting(v -> v.name())
                  .containsExactly("b");
            });
  }

  private Service exposure(String vs) {
    return client.services().inNamespace(TestResources.NS).withName("limpet-vs-" + vs).get();
  }

  private Condition condition(String name, String type) {
    return operator.condition(VirtualService.class, name, type).orElseThrow();
  }
}
