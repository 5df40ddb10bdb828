package dev.limpet.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * operator/rbac.yaml is what {@link Permissions} generates. To update it after a change of the
 * rules: {@code mvn -pl operator test -Dtest=PermissionsTest -Dlimpet.updateRbac=true}. That every
 * request of the operator is covered is checked in {@link OperatorProcessTest}, on a whole run.
 */
@Timeout(10)
class PermissionsTest {
  private static final Path CHECKED_IN = Path.of("rbac.yaml");

  @Test
  void checkedInClusterRoleMatchesTheRules() throws IOException {
    if (Boolean.getBoolean("limpet.updateRbac"))
      Files.writeString(CHECKED_IN, Permissions.clusterRoleYaml());
    assertThat(Files.readString(CHECKED_IN))
        .as("operator/rbac.yaml drifted from Permissions; see this test's Javadoc")
        .isEqualTo(Permissions.clusterRoleYaml());
  }

  @Test
  void requestsAreReadAsRbacSeesThem() {
    assertThat(ApiCall.of("GET", "/apis/limpet.dev/v1alpha1/namespaces/a/pools?watch=true&rv=1"))
        .contains(
            new ApiCall(
                "limpet.dev",
                "pools",
                "watch",
                "GET /apis/limpet.dev/v1alpha1/namespaces/a/pools?watch=true&rv=1"));
    assertThat(ApiCall.of("PATCH", "/apis/limpet.dev/v1alpha1/namespaces/a/pools/p/status"))
        .get()
        .extracting(ApiCall::resource, ApiCall::verb)
        .containsExactly("pools/status", "patch");
    assertThat(ApiCall.of("GET", "/api/v1/pods?labelSelector=x"))
        .get()
        .extracting(ApiCall::group, ApiCall::resource, ApiCall::verb)
        .containsExactly("", "pods", "list");
    assertThat(ApiCall.of("GET", "/api/v1/namespaces/a/configmaps/c"))
        .get()
        .extracting(ApiCall::resource, ApiCall::verb)
        .containsExactly("configmaps", "get");
    assertThat(ApiCall.of("GET", "/apis/limpet.dev/v1alpha1")).isEmpty();
  }
}
