package dev.limpet.operator.reconciler;

import static dev.limpet.operator.RunningOperator.eventually;
import static dev.limpet.operator.TestResources.staticPool;
import static dev.limpet.operator.TestResources.virtualService;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.VirtualService;
import org.junit.jupiter.api.Test;

/**
 * A Pool's one informer is the Pool controller's primary informer: the VirtualService controller
 * and the group owner hear its changes only through the relay. A Pool edit reaches the group's
 * ConfigMap.
 */
class RelayedChangeTest extends OperatorOnMockApi {

  @Test
  void aPoolEditReachesTheGroupThroughThePoolControllersInformer() {
    operator.create(staticPool("p", null, "10.0.0.1"));
    operator.create(virtualService("web", 80, "p"));
    eventually()
        .untilAsserted(
            () -> assertThat(operator.groupConfig("default").orElseThrow()).contains("10.0.0.1"));
    // applied by the replica: no rollout recheck is pending that would render the group anyway
    operator.awaitReady(VirtualService.class, "web");

    operator.edit(Pool.class, "p", p -> p.setSpec(staticPool("p", null, "10.0.0.2").getSpec()));

    eventually()
        .untilAsserted(
            () ->
                assertThat(operator.groupConfig("default").orElseThrow())
                    .contains("10.0.0.2")
                    .doesNotContain("10.0.0.1"));
  }
}
