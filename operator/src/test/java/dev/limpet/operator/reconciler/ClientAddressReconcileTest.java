package dev.limpet.operator.reconciler;

import static dev.limpet.operator.RunningOperator.eventually;
import static dev.limpet.operator.TestResources.staticPool;
import static dev.limpet.operator.TestResources.virtualService;
import static dev.limpet.operator.TestResources.withClientAddress;
import static dev.limpet.operator.TestResources.withHostnames;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.ClientAddressConfig;
import dev.limpet.contract.ConfigLoader;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.api.VirtualServiceSpec;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A VirtualService's clientAddress block: refused when the operator cannot use it, else rendered.
 */
class ClientAddressReconcileTest extends OperatorOnMockApi {
  private static VirtualServiceSpec.ClientAddress proxyFrom(List<String> sources) {
    return new VirtualServiceSpec.ClientAddress(
        new VirtualServiceSpec.ProxyProtocol(sources),
        new VirtualServiceSpec.ForwardedFor(List.of("10.9.0.0/16")));
  }

  @Test
  void aBlockTheSchemaLetsThroughButTheDataPlaneCannotParseIsAConditionThenRendersOnceFixed()
      throws Exception {
    operator.create(staticPool("p", null, "10.0.0.1"));
    VirtualService vs = virtualService("web", 80, "p");
    // the schema's pattern lets a prefix length of 33 through: the operator names it
    vs.setSpec(withClientAddress(vs.getSpec(), proxyFrom(List.of("10.0.0.0/33"))));
    operator.create(vs);

    eventually()
        .untilAsserted(
            () -> {
              Condition accepted = condition("web", "Accepted");
              assertThat(accepted.getStatus()).isEqualTo("False");
              assertThat(accepted.getReason()).isEqualTo("Invalid");
              assertThat(accepted.getMessage())
                  .contains(
                      "spec.clientAddress.proxyProtocol.sources[0]: prefix length of"
                          + " '10.0.0.0/33' must be 0..32");
            });

    operator.edit(
        VirtualService.class,
        "web",
        v -> v.setSpec(withClientAddress(v.getSpec(), proxyFrom(List.of("10.0.0.0/8")))));

    eventually()
        .untilAsserted(
            () -> {
              assertThat(condition("web", "Ready").getStatus()).isEqualTo("True");
              var rendered =
                  ConfigLoader.parse(operator.groupConfig("default").orElseThrow())
                      .virtualServices()
                      .get(0)
                      .clientAddress();
              assertThat(rendered)
                  .isEqualTo(
                      new ClientAddressConfig(
                          new ClientAddressConfig.ProxyProtocol(List.of("10.0.0.0/8")),
                          new ClientAddressConfig.ForwardedFor(List.of("10.9.0.0/16"))));
            });
  }

  @Test
  void servicesOnOnePortThatReadThePROXYHeaderDifferentlyConflictAndTheNewerLoses() {
    operator.create(staticPool("p", null, "10.0.0.1"));
    VirtualService first = virtualService("first", 80, "p");
    first.setSpec(
        withClientAddress(
            withHostnames(first.getSpec(), List.of("a.example")),
            proxyFrom(List.of("10.0.0.0/8"))));
    operator.create(first);
    eventually()
        .untilAsserted(() -> assertThat(condition("first", "Ready").getStatus()).isEqualTo("True"));

    VirtualService second = virtualService("second", 80, "p");
    second.setSpec(withHostnames(second.getSpec(), List.of("b.example")));
    operator.create(second);

    eventually()
        .untilAsserted(
            () -> {
              Condition accepted = condition("second", "Accepted");
              assertThat(accepted.getStatus()).isEqualTo("False");
              assertThat(accepted.getReason()).isEqualTo("PortConflict");
              assertThat(accepted.getMessage())
                  .contains(
                      "'first', which reads the PROXY protocol header from [10.0.0.0/8]; set the"
                          + " same clientAddress.proxyProtocol or use another port");
            });
    assertThat(condition("first", "Ready").getStatus()).isEqualTo("True");
  }

  private Condition condition(String name, String type) {
    return operator.condition(VirtualService.class, name, type).orElseThrow();
  }
}
