package dev.limpet.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.limpet.contract.DataPlaneGroup;
import dev.limpet.dataplane.DataPlaneMain;
import dev.limpet.operator.OperatorMain;
import dev.limpet.operator.index.GroupSecrets;
import dev.limpet.operator.rollout.DataPlanePods;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The operator's and the data plane's pods, for every case of the values matrix: probes, resources
 * and security of each container, the data plane's labels and ports as the operator expects them,
 * and arguments that the programs accept.
 */
@Timeout(60)
class WorkloadsTest {
  @RegisterExtension static final LookupCluster CLUSTER = new LookupCluster();

  @ParameterizedTest
  @MethodSource("dev.limpet.charts.ValuesCase#matrix")
  void everyContainerHasProbesRequestsAndLimits(ValuesCase values) {
    for (PodTemplateSpec pod : LimpetChart.rendered(values).podTemplates()) {
      for (Container c : pod.getSpec().getContainers()) {
        assertThat(c.getLivenessProbe()).as("%s liveness", c.getName()).isNotNull();
        assertThat(c.getReadinessProbe()).as("%s readiness", c.getName()).isNotNull();
        assertThat(c.getResources().getRequests()).as(c.getName()).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).as(c.getName()).containsKeys("cpu", "memory");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.limpet.charts.ValuesCase#matrix")
  void theDataPlanesLivenessIsTheWatchdogsAndItsReadinessIsAboutServing(ValuesCase values) {
    Container c =
        LimpetChart.rendered(values)
            .deployment("dataplane")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    // /livez fails while an event loop is stalled (EventLoopWatchdog); /readyz is about serving
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/livez");
    assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("admin");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
  }

  @ParameterizedTest
  @MethodSource("dev.limpet.charts.ValuesCase#matrix")
  void everyContainerRunsAsNonRootOnAReadOnlyFilesystemWithoutCapabilities(ValuesCase values) {
    for (PodTemplateSpec pod : LimpetChart.rendered(values).podTemplates()) {
      PodSpec spec = pod.getSpec();
      PodSecurityContext podContext =
          Optional.ofNullable(spec.getSecurityContext()).orElseGet(PodSecurityContext::new);
      for (Container c : spec.getContainers()) {
        SecurityContext context = c.getSecurityContext();
        assertThat(context).as(c.getName()).isNotNull();
        assertThat(either(context.getRunAsNonRoot(), podContext.getRunAsNonRoot()))
            .as("%s runAsNonRoot", c.getName())
            .isTrue();
        assertThat(context.getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
        assertThat(context.getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
        assertThat(context.getPrivileged()).as(c.getName()).isNotEqualTo(Boolean.TRUE);
        assertThat(context.getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
        assertThat(context.getCapabilities().getAdd()).as(c.getName()).isNullOrEmpty();
        var seccomp = either(context.getSeccompProfile(), podContext.getSeccompProfile());
        assertThat(seccomp.getType()).as(c.getName()).isEqualTo("RuntimeDefault");
        // the JVM writes its temporary files (and Netty its native library) to /tmp
        assertThat(c.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/tmp"));
      }
      assertThat(spec.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.limpet.charts.ValuesCase#matrix")
  void everyMountedSecretIsRenderedOrNamedInTheValues(ValuesCase values) {
    Manifests manifests = LimpetChart.rendered(values);
    JsonNode dataPlane = values.values().get("dataPlane");
    List<String> available =
        concat(
            manifests.all(Secret.class).stream().map(s -> s.getMetadata().getName()).toList(),
            List.of(
                dataPlane.at("/cookieKeys/existingSecret").asText(),
                dataPlane.at("/ticketKeys/existingSecret").asText(),
                dataPlane.at("/peers/existingSecret").asText()));
    for (PodTemplateSpec pod : manifests.podTemplates()) {
      for (Volume volume : pod.getSpec().getVolumes()) {
        if (volume.getSecret() != null)
          assertThat(available).contains(volume.getSecret().getSecretName());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.limpet.charts.ValuesCase#matrix")
  void dataPlanePodsCarryTheLabelsAndAdminPortTheOperatorSelects(ValuesCase values) {
    String group = values.values().at("/dataPlane/group").asText();
    PodTemplateSpec pod =
        LimpetChart.rendered(values).deployment("dataplane").getSpec().getTemplate();

    assertThat(pod.getMetadata().getLabels()).containsAllEntriesOf(DataPlanePods.selector(group));
    Container container = pod.getSpec().getContainers().get(0);
    assertThat(container.getPorts())
        .anyMatch(
            p ->
                p.getName().equals(DataPlanePods.ADMIN_PORT_NAME)
                    && p.getContainerPort() == DataPlanePods.DEFAULT_ADMIN_PORT);
    assertThat(container.getArgs())
        .contains(
            "--configmap=" + LimpetChart.NAMESPACE + "/" + DataPlaneGroup.configMapName(group),
            "--tls-secret=" + LimpetChart.NAMESPACE + "/" + GroupSecrets.name(group),
            "--admin=0.0.0.0:" + DataPlanePods.DEFAULT_ADMIN_PORT);
  }

  @ParameterizedTest
  @MethodSource("dev.limpet.charts.ValuesCase#matrix")
  void theDataPlaneRunsOnTheTransportTheValuesName(ValuesCase values) {
    Container container = Manifests.container(LimpetChart.rendered(values).deployment("dataplane"));
    String transport = values.values().at("/dataPlane/transport").asText();
    assertThat(argument(container.getArgs(), "--transport")).isEqualTo(transport);
  }

  @ParameterizedTest
  @MethodSource("dev.limpet.charts.ValuesCase#matrix")
  void theTicketKeyFileIsMountedReadOnlyAsAWholeSecretVolumeSoThatItsEditsArrive(
      ValuesCase values) {
    PodSpec pod =
        LimpetChart.rendered(values).deployment("dataplane").getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);
    Path file = Path.of(argument(container.getArgs(), "--ticket-keys"));

    // mount paths are unique within a container
    VolumeMount mount =
        container.getVolumeMounts().stream()
            .filter(m -> Path.of(m.getMountPath()).equals(file.getParent()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("nothing mounted at " + file.getParent()));
    assertThat(mount.getReadOnly()).isTrue();
    // the kubelet never updates a subPath mount: the data plane would not see a rotation
    assertThat(mount.getSubPath()).isNull();
    Volume volume =
        pod.getVolumes().stream()
            .filter(v -> v.getName().equals(mount.getName()))
            .findFirst()
            .orElseThrow();
    assertThat(volume.getSecret().getItems())
        .singleElement()
        .satisfies(
            item -> {
              assertThat(item.getKey()).isEqualTo("ticket-keys.json");
              assertThat(item.getPath()).isEqualTo(file.getFileName().toString());
            });
  }

  @ParameterizedTest
  @MethodSource("dev.limpet.charts.ValuesCase#matrix")
  void peersFindEachOtherThroughAHeadlessServiceThatListsStartingPods(ValuesCase values) {
    Manifests manifests = LimpetChart.rendered(values);
    Deployment dataPlane = manifests.deployment("dataplane");
    List<String> args = Manifests.container(dataPlane).getArgs();
    List<Service> headless =
        manifests.all(Service.class).stream()
            .filter(s -> "None".equals(s.getSpec().getClusterIP()))
            .toList();
    if (!values.values().at("/dataPlane/peers/enabled").asBoolean()) {
      assertThat(headless).isEmpty();
      assertThat(args).noneMatch(a -> a.startsWith("--peer"));
      return;
    }
    assertThat(headless).hasSize(1);
    Service peers = headless.get(0);
    assertThat(peers.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(dataPlane.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(peers.getSpec().getSelector());
    assertThat(peers.getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getPort()).isEqualTo(9902));
    assertThat(args)
        .contains(
            "--peers-dns=%s.%s.svc:9902"
                .formatted(peers.getMetadata().getName(), LimpetChart.NAMESPACE),
            "--peer-listen=0.0.0.0:9902",
            "--replica-id=$(POD_NAME)");
  }

  @ParameterizedTest
  @MethodSource("dev.limpet.charts.ValuesCase#matrix")
  void theDataPlaneIsGivenTimeToDrainBeforeItIsKilled(ValuesCase values) {
    PodSpec pod =
        LimpetChart.rendered(values).deployment("dataplane").getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);
    long drain = Long.parseLong(argument(container.getArgs(), "--drain-seconds"));
    long preStop =
        Optional.ofNullable(container.getLifecycle())
            .map(l -> Long.parseLong(l.getPreStop().getExec().getCommand().get(1)))
            .orElse(0L);

    assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(preStop + drain);
  }

  @ParameterizedTest
  @MethodSource("dev.limpet.charts.ValuesCase#matrix")
  void theProgramsAcceptTheArgumentsTheChartGives(ValuesCase values) {
    Manifests manifests = LimpetChart.rendered(values);
    for (Deployment d : manifests.all(Deployment.class)) {
      Container c = Manifests.container(d);
      Object program = c.getName().equals("operator") ? new OperatorMain() : new DataPlaneMain();
      // throws ParameterException on an option the program does not know
      new CommandLine(program).parseArgs(c.getArgs().toArray(String[]::new));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.limpet.charts.ValuesCase#matrix")
  void replicasAndImagesAreTheConfiguredOnesTaggedWithTheAppVersionByDefault(ValuesCase values)
      throws IOException {
    String appVersion = LimpetChart.appVersion();
    for (Deployment d : LimpetChart.rendered(values).all(Deployment.class)) {
      Container c = Manifests.container(d);
      JsonNode settings = settings(values, d);
      JsonNode image = settings.get("image");
      String tag = image.get("tag").asText().isEmpty() ? appVersion : image.get("tag").asText();
      assertThat(d.getSpec().getReplicas()).isEqualTo(settings.get("replicas").asInt());
      assertThat(c.getImage()).isEqualTo(image.get("repository").asText() + ":" + tag);
      assertThat(c.getImagePullPolicy()).isEqualTo(image.get("pullPolicy").asText());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.limpet.charts.ValuesCase#matrix")
  void eachEnabledDisruptionBudgetCoversItsDeploymentsPods(ValuesCase values) {
    Manifests manifests = LimpetChart.rendered(values);
    for (Deployment d : manifests.all(Deployment.class)) {
      JsonNode budget = settings(values, d).get("podDisruptionBudget");
      Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
      List<PodDisruptionBudget> covering =
          manifests.all(PodDisruptionBudget.class).stream()
              .filter(
                  b ->
                      labels
                          .entrySet()
                          .containsAll(b.getSpec().getSelector().getMatchLabels().entrySet()))
              .toList();
      if (!budget.get("enabled").asBoolean()) {
        assertThat(covering).isEmpty();
        continue;
      }
      assertThat(covering)
          .singleElement()
          .satisfies(
              b ->
                  assertThat(String.valueOf(b.getSpec().getMaxUnavailable().getValue()))
                      .isEqualTo(budget.get("maxUnavailable").asText()));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.limpet.charts.ValuesCase#matrix")
  void theOperatorTakesTheLeaseExactlyWhenTheValuesSaySo(ValuesCase values) {
    Manifests manifests = LimpetChart.rendered(values);
    for (Deployment d : manifests.all(Deployment.class)) {
      Container c = Manifests.container(d);
      if (!c.getName().equals("operator")) continue;
      // the operator's own parser on the exact arguments: what the process will do
      OperatorMain parsed = new OperatorMain();
      new CommandLine(parsed).parseArgs(c.getArgs().toArray(String[]::new));
      boolean enabled = settings(values, d).get("leaderElection").get("enabled").asBoolean();
      assertThat(parsed.leaderElection())
          .as("leader election of %s", c.getArgs())
          .isEqualTo(enabled);
      if (d.getSpec().getReplicas() > 1) assertThat(parsed.leaderElection()).isTrue();
    }
  }

  /** The values of the component that {@code deployment} runs: operator.* or dataPlane.*. */
  private static JsonNode settings(ValuesCase values, Deployment deployment) {
    boolean operator = Manifests.container(deployment).getName().equals("operator");
    return values.values().get(operator ? "operator" : "dataPlane");
  }

  private static String argument(List<String> args, String option) {
    return args.stream()
        .filter(a -> a.startsWith(option + "="))
        .map(a -> a.substring(option.length() + 1))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + option + " in " + args));
  }

  private static <T> T either(T first, T second) {
    return first != null ? first : second;
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }
}
