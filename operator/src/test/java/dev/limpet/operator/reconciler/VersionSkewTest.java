package dev.limpet.operator.reconciler;

import static dev.limpet.operator.RunningOperator.eventually;
import static dev.limpet.operator.TestResources.staticPool;
import static dev.limpet.operator.TestResources.virtualService;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.operator.TestResources;
import dev.limpet.operator.api.VirtualService;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What CRD/operator version skew writes into the API (schema validation would have refused it here,
 * not on a cluster whose CRDs are of another version): raw JSON with an unknown field, an unknown
 * enum value, a value of the wrong type. The operator stays up and keeps reconciling the others;
 * the unreadable one says which field; fixing it recovers it.
 */
class VersionSkewTest extends OperatorOnMockApi {
  private static final ResourceDefinitionContext CONTEXT =
      ResourceDefinitionContext.fromResourceType(VirtualService.class);

  @BeforeEach
  void start() {
    operator.create(staticPool("p", null, "10.0.0.1"));
  }

  @Test
  void oneUnreadableResourceNeverStopsTheOperator() {
    raw("newer", Map.of("port", 8081, "pool", "p", "prot", "HTTP2"));
    raw("bad-enum", Map.of("port", 8082, "pool", "p", "service", Map.of("type", "Ingress")));
    raw("bad-type", Map.of("port", "eighty", "pool", "p"));

    // an unknown field is ignored: the rest of the spec is served
    eventually().untilAsserted(() -> assertThat(ready("newer").getStatus()).isEqualTo("True"));
    eventually()
        .untilAsserted(
            () -> {
              Condition accepted = condition("bad-enum", "Accepted");
              assertThat(accepted.getStatus()).isEqualTo("False");
              assertThat(accepted.getReason()).isEqualTo("InvalidSpec");
              assertThat(accepted.getMessage()).contains("spec.service.type").contains("Ingress");
              assertThat(ready("bad-enum").getStatus()).isEqualTo("False");
              assertThat(condition("bad-type", "Accepted").getMessage()).contains("spec.port");
            });

    // resources applied afterwards reconcile
    operator.create(virtualService("after", 8083, "p"));
    eventually().untilAsserted(() -> assertThat(ready("after").getStatus()).isEqualTo("True"));
    assertThat(operator.groupConfig("default").orElseThrow())
        .contains("8081")
        .contains("8083")
        .doesNotContain("8082");

    // fixed, it recovers; the API object kept what the user wrote
    raw("bad-enum", Map.of("port", 8082, "pool", "p", "service", Map.of("type", "ClusterIP")));
    eventually().untilAsserted(() -> assertThat(ready("bad-enum").getStatus()).isEqualTo("True"));
    assertThat(generic("bad-type").getAdditionalProperties().get("spec"))
        .isEqualTo(Map.of("port", "eighty", "pool", "p"));
  }

  /** Writes a VirtualService as raw JSON, the way an API server with other CRDs stores it. */
  private void raw(String name, Map<String, Object> spec) {
    GenericKubernetesResource existing = generic(name);
    GenericKubernetesResource resource =
        existing != null ? existing : new GenericKubernetesResource();
    resource.setApiVersion("limpet.dev/v1alpha1");
    resource.setKind("VirtualService");
    if (existing == null) {
      resource.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
      resource.getMetadata().setName(name);
      resource.getMetadata().setNamespace(TestResources.NS);
    }
    resource.setAdditionalProperty("spec", spec);
    var op =
        client.genericKubernetesResources(CONTEXT).inNamespace(TestResources.NS).resource(resource);
    if (existing == null) op.create();
    else op.update();
  }

  private GenericKubernetesResource generic(String name) {
    return client
        .genericKubernetesResources(CONTEXT)
        .inNamespace(TestResources.NS)
        .withName(name)
        .get();
  }

  /** A condition read as raw JSON: the test's own client is as strict as the operator's was. */
  @SuppressWarnings("unchecked")
  private Condition condition(String name, String type) {
    var status = (Map<String, Object>) generic(name).getAdditionalProperties().get("status");
    var conditions = (List<Map<String, Object>>) status.get("conditions");
    return conditions.stream()
        .filter(c -> type.equals(c.get("type")))
        .map(c -> client.getKubernetesSerialization().convertValue(c, Condition.class))
        .findFirst()
        .orElseThrow();
  }

  private Condition ready(String name) {
    return condition(name, "Ready");
  }
}
