package dev.limpet.operator.reconciler;

import static dev.limpet.operator.RunningOperator.eventually;
import static dev.limpet.operator.TestResources.staticPool;
import static dev.limpet.operator.TestResources.virtualService;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.operator.TestResources;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.api.VirtualServiceSpec;
import dev.limpet.operator.api.VirtualServiceSpec.ServiceType;
import dev.limpet.operator.api.VirtualServiceSpec.TrafficPolicy;
import io.fabric8.kubernetes.api.model.Service;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a cloud load balancer needs to keep the client's address: the Service's external traffic
 * policy and its annotations (a PROXY protocol switch) come from the VirtualService, and follow it.
 */
class ExposureForClientAddressTest extends OperatorOnMockApi {
  private static final String AWS_PROXY =
      "service.beta.kubernetes.io/aws-load-balancer-proxy-protocol";

  @Test
  void trafficPolicyAndAnnotationsReachTheServiceAndFollowTheSpec() {
    operator.create(staticPool("p", null, "10.0.0.1"));
    VirtualService vs = virtualService("edge", 443, "p");
    vs.setSpec(
        TestResources.withExposure(
            vs.getSpec(),
            new VirtualServiceSpec.Exposure(
                ServiceType.LoadBalancer, null, TrafficPolicy.Local, Map.of(AWS_PROXY, "*"))));
    operator.create(vs);

    eventually()
        .untilAsserted(
            () -> {
              Service s = service();
              assertThat(s).isNotNull();
              assertThat(s.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
              assertThat(s.getMetadata().getAnnotations()).containsEntry(AWS_PROXY, "*");
            });

    expose(new VirtualServiceSpec.Exposure(ServiceType.LoadBalancer, null));

    eventually()
        .untilAsserted(
            () -> assertThat(service().getSpec().getExternalTrafficPolicy()).isEqualTo("Cluster"));

    expose(
        new VirtualServiceSpec.Exposure(
            ServiceType.LoadBalancer, null, null, Map.of(AWS_PROXY, "other")));

    eventually()
        .untilAsserted(
            () ->
                assertThat(service().getMetadata().getAnnotations())
                    .containsEntry(AWS_PROXY, "other"));
  }

  /** Edits the virtual service edge's exposure to {@code exposure}. */
  private void expose(VirtualServiceSpec.Exposure exposure) {
    operator.edit(
        VirtualService.class,
        "edge",
        v -> v.setSpec(TestResources.withExposure(v.getSpec(), exposure)));
  }

  private Service service() {
    return client.services().inNamespace(TestResources.NS).withName("limpet-vs-edge").get();
  }
}
