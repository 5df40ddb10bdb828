package dev.limpet.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values the chart refuses, with a message that names what is wrong: {@code values.schema.json}
 * refuses wrong types, ranges and unknown keys, and the templates refuse inconsistent combinations.
 */
@Timeout(60)
class ValuesSchemaTest {
  @RegisterExtension static final LookupCluster CLUSTER = new LookupCluster();
  @TempDir Path work;

  /** Refused by values.schema.json: by helm template, helm lint and helm install alike. */
  static Stream<Arguments> outsideTheSchema() {
    return Stream.of(
        Arguments.of(
            "replicas-string",
            "dataPlane: {replicas: two}",
            "at '/dataPlane/replicas': got string, want integer"),
        Arguments.of(
            "replicas-negative",
            "operator: {replicas: -1}",
            "at '/operator/replicas': minimum: got -1, want 0"),
        Arguments.of(
            "misspelt-key",
            "dataplane: {replicas: 3}",
            "additional properties 'dataplane' not allowed"),
        Arguments.of(
            "misspelt-nested-key",
            "dataPlane: {replica: 3}",
            "at '/dataPlane': additional properties 'replica' not allowed"),
        Arguments.of(
            "tls-provider",
            "dataPlane: {tlsProvider: boringssl}",
            "at '/dataPlane/tlsProvider': value must be one of"),
        Arguments.of(
            "transport",
            "dataPlane: {transport: kqueue}",
            "at '/dataPlane/transport': value must be one of"),
        Arguments.of(
            "pull-policy",
            "operator: {image: {pullPolicy: Sometimes}}",
            "at '/operator/image/pullPolicy': value must be one of"),
        Arguments.of(
            "memory-not-a-quantity",
            "dataPlane: {resources: {limits: {memory: 2GB}}}",
            "at '/dataPlane/resources/limits/memory': '2GB' does not match pattern"),
        Arguments.of(
            "group-not-a-dns-label",
            "dataPlane: {group: Edge_1}",
            "at '/dataPlane/group': 'Edge_1' does not match pattern"),
        Arguments.of(
            "namespace-not-a-dns-label",
            "operator: {namespaces: [Shop]}",
            "at '/operator/namespaces/0': 'Shop' does not match pattern"));
  }

  /**
   * Combinations the schema cannot express, refused by the templates' {@code fail} (which helm lint
   * skips by design, so only template and install refuse them).
   */
  static Stream<Arguments> inconsistent() {
    return Stream.of(
        Arguments.of(
            "replicas-without-leader-election",
            "operator: {replicas: 2, leaderElection: {enabled: false}}",
            "operator.replicas is 2 but operator.leaderElection.enabled is false"),
        Arguments.of(
            "grace-period-shorter-than-drain",
            "dataPlane: {drainSeconds: 30, terminationGracePeriodSeconds: 20}",
            "dataPlane.terminationGracePeriodSeconds (20) must exceed"
                + " dataPlane.preStopSleepSeconds + dataPlane.drainSeconds (35)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"outsideTheSchema", "inconsistent"})
  void templateRefusesWithAClearMessage(String name, String yaml, String message) {
    ValuesCase values = ValuesCase.write(work, name, yaml);

    assertThatThrownBy(() -> LimpetChart.template(values)).hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outsideTheSchema")
  void lintRefusesWithAClearMessage(String name, String yaml, String message) throws IOException {
    Path values = Files.createDirectories(work.resolve("values"));
    Path chart = Files.createDirectories(work.resolve("chart"));
    LintResult result = LimpetChart.lint(ValuesCase.write(values, name, yaml), chart);

    assertThat(result.isFailed()).isTrue();
    assertThat(String.join("\n", result.getMessages())).contains(message);
  }
}
