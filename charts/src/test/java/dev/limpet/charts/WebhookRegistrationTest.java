package dev.limpet.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.limpet.operator.server.WebhookServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The admission webhook is registered as operator/README.md says (DELETE of the three referenced
 * kinds, CREATE and UPDATE of DataScripts, {@code failurePolicy: Ignore}) and reaches the operator:
 * Service, port and path.
 */
@Timeout(60)
class WebhookRegistrationTest {
  @RegisterExtension static final LookupCluster CLUSTER = new LookupCluster();

  @ParameterizedTest
  @MethodSource("dev.limpet.charts.ValuesCase#matrix")
  void theWebhookIsRegisteredWhenEnabledAndReachesTheOperator(ValuesCase values) {
    Manifests manifests = LimpetChart.rendered(values);
    List<ValidatingWebhookConfiguration> configurations =
        manifests.all(ValidatingWebhookConfiguration.class);
    boolean enabled =
        values.values().at("/operator/enabled").asBoolean()
            && values.values().at("/operator/webhook/enabled").asBoolean();
    if (!enabled) {
      assertThat(configurations).isEmpty();
      if (values.values().at("/operator/enabled").asBoolean())
        assertThat(Manifests.container(manifests.deployment("operator")).getArgs())
            .noneMatch(a -> a.startsWith("--webhook"));
      return;
    }
    ValidatingWebhook webhook = configurations.get(0).getWebhooks().get(0);
    assertThat(webhook.getFailurePolicy()).isEqualTo("Ignore");
    assertThat(webhook.getSideEffects()).isEqualTo("None");
    assertThat(webhook.getAdmissionReviewVersions()).containsExactly("v1");
    assertThat(webhook.getRules())
        .extracting(RuleWithOperations::getOperations, RuleWithOperations::getResources)
        .containsExactlyInAnyOrder(
            tuple(List.of("DELETE"), List.of("persistenceprofiles", "pools", "datascripts")),
            tuple(List.of("CREATE", "UPDATE"), List.of("datascripts")));
    assertThat(webhook.getRules())
        .allSatisfy(
            r -> {
              assertThat(r.getApiGroups()).containsExactly("limpet.dev");
              assertThat(r.getApiVersions()).containsExactly("v1alpha1");
            });

    var target = webhook.getClientConfig().getService();
    assertThat(target.getPath()).isEqualTo(WebhookServer.PATH);
    assertThat(target.getNamespace()).isEqualTo(LimpetChart.NAMESPACE);
    Service service = manifests.one(Service.class, target.getName());
    Deployment operator = manifests.deployment("operator");
    assertThat(operator.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
    var port = service.getSpec().getPorts().get(0);
    assertThat(port.getPort()).isEqualTo(target.getPort());
    Container container = Manifests.container(operator);
    assertThat(container.getPorts())
        .anyMatch(
            p ->
                new IntOrString(p.getName()).equals(port.getTargetPort())
                    && container.getArgs().contains("--webhook=0.0.0.0:" + p.getContainerPort()));

    List<String> namespaces =
        ValuesCase.YAML.convertValue(
            values.values().at("/operator/namespaces"),
            ValuesCase.YAML.getTypeFactory().constructCollectionType(List.class, String.class));
    if (namespaces.isEmpty()) assertThat(webhook.getNamespaceSelector()).isNull();
    else
      assertThat(webhook.getNamespaceSelector().getMatchExpressions())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getKey()).isEqualTo("kubernetes.io/metadata.name");
                assertThat(e.getOperator()).isEqualTo("In");
                assertThat(e.getValues()).containsExactlyElementsOf(namespaces);
              });
  }
}
