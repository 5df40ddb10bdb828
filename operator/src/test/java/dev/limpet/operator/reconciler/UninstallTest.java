package dev.limpet.operator.reconciler;

import static dev.limpet.operator.RunningOperator.eventually;
import static dev.limpet.operator.TestResources.scriptedVirtualService;
import static dev.limpet.operator.TestResources.staticPool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.operator.RunningOperator;
import dev.limpet.operator.TestResources;
import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.validation.ContractScriptCompiler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The uninstall steps of charts/limpet/README.md leave no Limpet object with a finalizer; a
 * VirtualService has none, and its deletion still takes it out of its group's configuration.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(90)
class UninstallTest {
  private static final Path README = Path.of("..", "charts", "limpet", "README.md");
  private static final List<Class<? extends HasMetadata>> KINDS =
      List.of(VirtualService.class, DataScript.class, Pool.class, PersistenceProfile.class);

  /** The kinds the operator sets a finalizer on; a VirtualService carries none. */
  private static final List<Class<? extends HasMetadata>> GUARDED =
      List.of(DataScript.class, Pool.class, PersistenceProfile.class);

  KubernetesClient client;

  @Test
  void theReadmesStepsLeaveNoFinalizer() throws IOException {
    String steps = uninstallSection();
    var operator = new RunningOperator(client, new ContractScriptCompiler());
    try {
      operator.create(staticPool("p", null, "10.0.0.1"));
      operator.create(TestResources.dataScript("log", "avi.vs.log('hi')", "p"));
      VirtualService web = scriptedVirtualService("web", 80, "p", "log");
      operator.create(web);
      operator.awaitReady(VirtualService.class, "web");

      assertThat(operator.groupConfig("default").orElseThrow()).contains("{\"name\":\"web\"");

      // every finalizer the operator sets is in the README's table of finalizers
      eventually()
          .untilAsserted(
              () ->
                  assertThat(remaining())
                      .filteredOn(r -> !(r instanceof VirtualService))
                      .extracting(r -> r.getKind())
                      .containsAll(GUARDED.stream().map(k -> HasMetadata.getKind(k)).toList()));
      eventually()
          .untilAsserted(
              () ->
                  assertThat(remaining())
                      .filteredOn(r -> !(r instanceof VirtualService))
                      .allSatisfy(r -> assertThat(r.getMetadata().getFinalizers()).isNotEmpty()));
      assertThat(
              client
                  .resources(VirtualService.class)
                  .inNamespace(TestResources.NS)
                  .withName("web")
                  .get())
          .as("a VirtualService carries no finalizer")
          .satisfies(vs -> assertThat(vs.getMetadata().getFinalizers()).isNullOrEmpty());
      assertThat(remaining().stream().flatMap(r -> r.getMetadata().getFinalizers().stream()))
          .allSatisfy(finalizer -> assertThat(steps).contains("`" + finalizer + "`"));

      // 1. with the operator running, the kinds in the README's order
      assertThat(steps)
          .contains("kubectl delete virtualservices.limpet.dev --all --all-namespaces")
          .contains(
              "kubectl delete datascripts.limpet.dev,pools.limpet.dev --all --all-namespaces");
      for (var kind : List.of(VirtualService.class, DataScript.class, Pool.class))
        client.resources(kind).inAnyNamespace().delete();
      eventually()
          .untilAsserted(
              () -> {
                for (var kind : List.of(VirtualService.class, DataScript.class, Pool.class))
                  assertThat(client.resources(kind).inAnyNamespace().list().getItems()).isEmpty();
              });
      // without a finalizer, the group's owner still takes the deleted VirtualService out
      eventually()
          .untilAsserted(
              () ->
                  assertThat(operator.groupConfig("default").orElseThrow()).doesNotContain("web"));
    } finally {
      // 2. helm uninstall: the operator is gone
      operator.close();
    }
    List<HasMetadata> left = remaining();
    assertThat(left)
        .as("the system profiles stay, with their finalizer")
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.getMetadata().getFinalizers()).isNotEmpty());

    // 3. the README's loop: every kind, the merge patch it shows
    Matcher loop = Pattern.compile("for kind in ([a-z ]+); do").matcher(steps);
    assertThat(loop.find()).isTrue();
    assertThat(loop.group(1).split(" "))
        .containsExactlyInAnyOrder(
            "virtualservices", "datascripts", "pools", "persistenceprofiles");
    Matcher patch = Pattern.compile("--type merge -p '([^']+)'").matcher(steps);
    assertThat(patch.find()).isTrue();
    for (HasMetadata r : left)
      client.resource(r).patch(PatchContext.of(PatchType.JSON_MERGE), patch.group(1));

    assertThat(remaining())
        .allSatisfy(r -> assertThat(r.getMetadata().getFinalizers()).isNullOrEmpty());
  }

  private List<HasMetadata> remaining() {
    return KINDS.stream()
        .flatMap(k -> client.resources(k).inAnyNamespace().list().getItems().stream())
        .map(HasMetadata.class::cast)
        .toList();
  }

  private static String uninstallSection() throws IOException {
    String readme = Files.readString(README);
    int start = readme.indexOf("## Uninstall");
    return readme.substring(start, readme.indexOf("\n## ", start + 1));
  }
}
