package dev.limpet.operator.reconciler;

import static dev.limpet.operator.RunningOperator.eventually;
import static dev.limpet.operator.TestResources.cookieProfile;
import static dev.limpet.operator.TestResources.dataScript;
import static dev.limpet.operator.TestResources.scriptedVirtualService;
import static dev.limpet.operator.TestResources.staticPool;
import static dev.limpet.operator.TestResources.withDataScripts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.VirtualService;
import io.fabric8.kubernetes.api.model.Condition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The finalizer path of referential integrity, where no webhook is installed. The mock API server
 * in CRUD mode implements deletionTimestamp and finalizers: a DELETE of an object with finalizers
 * only marks it, and the update that removes the last finalizer deletes it.
 */
class DeletionGuardTest extends OperatorOnMockApi {

  @BeforeEach
  void start() {
    operator.create(cookieProfile("cookie"));
    operator.create(staticPool("p", "cookie", "10.0.0.1"));
    operator.create(staticPool("canary", null, "10.0.0.9"));
    operator.create(dataScript("route", "return", "canary"));
    operator.create(scriptedVirtualService("web", 80, "p", "route"));
    operator.awaitReady(VirtualService.class, "web");
  }

  @Test
  void deletingAPoolInUseWaitsNamingTheVirtualServiceUntilItIsGone() {
    client.resource(operator.get(Pool.class, "p")).delete();

    eventually()
        .untilAsserted(
            () -> {
              Pool held = operator.get(Pool.class, "p");
              assertThat(held.getMetadata().getDeletionTimestamp()).isNotNull();
              Condition deletable = condition(Pool.class, "p", "Deletable");
              assertThat(deletable.getStatus()).isEqualTo("False");
              assertThat(deletable.getReason()).isEqualTo("InUse");
              assertThat(deletable.getMessage())
                  .isEqualTo(
                      "Deletion waits: Pool 'p' is in use by VirtualService 'web'; remove it from"
                          + " that VirtualService first.");
              assertThat(condition(Pool.class, "p", "Ready").getReason())
                  .as("%s", held.getStatus())
                  .isEqualTo("InUse");
            });
    assertThat(operator.events("p")).extracting(e -> e.getReason()).contains("InUse");

    client.resource(operator.get(VirtualService.class, "web")).delete();

    eventually().untilAsserted(() -> assertThat(operator.get(Pool.class, "p")).isNull());
  }

  @Test
  void profilesAndScriptsWaitForTheVirtualServicesThatUseThemThroughOthers() {
    client.resource(operator.get(PersistenceProfile.class, "cookie")).delete();
    client.resource(operator.get(Pool.class, "canary")).delete();
    client.resource(operator.get(DataScript.class, "route")).delete();

    eventually()
        .untilAsserted(
            () -> {
              assertThat(condition(PersistenceProfile.class, "cookie", "Deletable").getMessage())
                  .contains("'web'");
              assertThat(condition(Pool.class, "canary", "Deletable").getMessage())
                  .contains("'web'");
              assertThat(condition(DataScript.class, "route", "Deletable").getMessage())
                  .contains("'web'");
            });

    // the VirtualService stops running the script: the script and its pool may go, the profile not
    operator.edit(
        VirtualService.class, "web", vs -> vs.setSpec(withDataScripts(vs.getSpec(), null)));

    eventually()
        .untilAsserted(
            () -> {
              assertThat(operator.get(DataScript.class, "route")).isNull();
              assertThat(operator.get(Pool.class, "canary")).isNull();
            });
    assertThat(operator.get(PersistenceProfile.class, "cookie")).isNotNull();
  }

  @Test
  void anUnusedObjectIsDeletedAtOnce() {
    operator.create(staticPool("spare", null, "10.0.0.5"));
    eventually()
        .untilAsserted(
            () -> assertThat(operator.get(Pool.class, "spare").getFinalizers()).isNotEmpty());

    client.resource(operator.get(Pool.class, "spare")).delete();

    eventually().untilAsserted(() -> assertThat(operator.get(Pool.class, "spare")).isNull());
  }

  private Condition condition(
      Class<? extends io.fabric8.kubernetes.client.CustomResource<?, ?>> type,
      String name,
      String conditionType) {
    return operator.condition(type, name, conditionType).orElseThrow();
  }
}
