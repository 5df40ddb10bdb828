package dev.limpet.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.limpet.contract.DataPlaneGroup;
import dev.limpet.operator.Permissions;
import dev.limpet.operator.index.GroupSecrets;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Least privilege: the operator gets exactly the rules of {@link Permissions} (operator/rbac.yaml),
 * bound cluster-wide only when it watches every namespace; the data plane reads its group's
 * ConfigMap and TLS Secret, by name; nothing anywhere is a wildcard.
 */
@Timeout(60)
class RbacTest {
  @RegisterExtension static final LookupCluster CLUSTER = new LookupCluster();

  @ParameterizedTest
  @MethodSource("dev.limpet.charts.ValuesCase#matrix")
  void noRuleUsesAWildcard(ValuesCase values) {
    Manifests manifests = LimpetChart.rendered(values);
    Stream.concat(
            manifests.all(ClusterRole.class).stream().flatMap(r -> r.getRules().stream()),
            manifests.all(Role.class).stream().flatMap(r -> r.getRules().stream()))
        .forEach(
            rule -> {
              assertThat(rule.getVerbs()).isNotEmpty().doesNotContain("*");
              assertThat(rule.getResources()).isNotEmpty().doesNotContain("*");
              assertThat(rule.getApiGroups()).doesNotContain("*");
              assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
            });
  }

  @ParameterizedTest
  @MethodSource("dev.limpet.charts.ValuesCase#matrix")
  void theOperatorsClusterRoleHasExactlyTheRulesOfPermissions(ValuesCase values) {
    List<ClusterRole> roles = LimpetChart.rendered(values).all(ClusterRole.class);
    if (!values.values().at("/operator/enabled").asBoolean()) {
      assertThat(roles).isEmpty();
      return;
    }
    List<Permissions.Rule> rendered =
        roles.stream()
            .flatMap(r -> r.getRules().stream())
            .map(r -> new Permissions.Rule(r.getApiGroups().get(0), r.getResources(), r.getVerbs()))
            .toList();
    assertThat(roles).hasSize(1);
    assertThat(roles.get(0).getRules()).allSatisfy(r -> assertThat(r.getApiGroups()).hasSize(1));
    assertThat(rendered).containsExactlyElementsOf(Permissions.RULES);
  }

  @Test
  void watchingAllNamespacesBindsTheClusterRoleClusterWide() {
    Manifests manifests = LimpetChart.rendered(ValuesCase.named("defaults"));

    assertThat(manifests.all(RoleBinding.class))
        .noneMatch(b -> b.getRoleRef().getKind().equals("ClusterRole"));
    ClusterRoleBinding binding = manifests.all(ClusterRoleBinding.class).get(0);
    assertThat(manifests.all(ClusterRoleBinding.class)).hasSize(1);
    assertBindsTheOperator(manifests, binding.getRoleRef().getName(), binding.getSubjects());
  }

  @Test
  void watchingANamespaceListBindsTheClusterRoleInThoseAndTheLeaseNamespaceOnly() {
    Manifests manifests = LimpetChart.rendered(ValuesCase.named("namespaces"));

    assertThat(manifests.all(ClusterRoleBinding.class)).isEmpty();
    List<RoleBinding> bindings =
        manifests.all(RoleBinding.class).stream()
            .filter(b -> b.getRoleRef().getKind().equals("ClusterRole"))
            .toList();
    assertThat(bindings)
        .extracting(b -> b.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("shop", "payments", LimpetChart.NAMESPACE);
    for (RoleBinding binding : bindings)
      assertBindsTheOperator(manifests, binding.getRoleRef().getName(), binding.getSubjects());
  }

  @ParameterizedTest
  @MethodSource("dev.limpet.charts.ValuesCase#matrix")
  void theDataPlaneOnlyReadsItsGroupsConfigMapAndTlsSecret(ValuesCase values) {
    Manifests manifests = LimpetChart.rendered(values);
    String group = values.values().at("/dataPlane/group").asText();
    Deployment dataPlane = manifests.deployment("dataplane");
    String account = dataPlane.getSpec().getTemplate().getSpec().getServiceAccountName();

    List<RoleBinding> bindings =
        manifests.all(RoleBinding.class).stream()
            .filter(b -> b.getSubjects().stream().anyMatch(s -> s.getName().equals(account)))
            .toList();
    assertThat(bindings).hasSize(1);
    assertThat(manifests.all(ClusterRoleBinding.class))
        .noneMatch(b -> b.getSubjects().stream().anyMatch(s -> s.getName().equals(account)));
    Role role = manifests.one(Role.class, bindings.get(0).getRoleRef().getName());
    assertThat(role.getRules())
        .extracting(
            PolicyRule::getApiGroups,
            PolicyRule::getResources,
            PolicyRule::getResourceNames,
            rule -> Set.copyOf(rule.getVerbs()))
        .containsExactlyInAnyOrder(
            tuple(
                List.of(""),
                List.of("configmaps"),
                List.of(DataPlaneGroup.configMapName(group)),
                Set.of("get", "list", "watch")),
            tuple(
                List.of(""),
                List.of("secrets"),
                List.of(GroupSecrets.name(group)),
                Set.of("get", "list", "watch")));
  }

  /** The binding gives the ClusterRole to the operator Deployment's own ServiceAccount. */
  private static void assertBindsTheOperator(
      Manifests manifests, String clusterRole, List<Subject> subjects) {
    Deployment operator = manifests.deployment("operator");
    String account = operator.getSpec().getTemplate().getSpec().getServiceAccountName();
    assertThat(manifests.one(ServiceAccount.class, account)).isNotNull();
    assertThat(manifests.one(ClusterRole.class, clusterRole)).isNotNull();
    assertThat(subjects)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo(account);
              assertThat(s.getNamespace()).isEqualTo(LimpetChart.NAMESPACE);
            });
  }
}
