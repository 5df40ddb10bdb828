package dev.limpet.charts;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The chart under test ({@code charts/limpet}), rendered and linted by the Helm that helm-java
 * bundles as a native library: no helm binary is needed. Rendering needs a {@link LookupCluster}.
 */
final class LimpetChart {
  static final Path DIRECTORY = Path.of("limpet");
  static final String RELEASE = "shop";
  static final String NAMESPACE = "limpet-system";

  /** Renders of the matrix cases, made once for every test that needs no Secret in the cluster. */
  private static final Map<ValuesCase, Manifests> RENDERED = new ConcurrentHashMap<>();

  private LimpetChart() {}

  /** The chart's appVersion: the default tag of both images. */
  static String appVersion() throws IOException {
    return ValuesCase.YAML
        .readTree(DIRECTORY.resolve("Chart.yaml").toFile())
        .get("appVersion")
        .asText();
  }

  /** {@link #template} of a case of the matrix, rendered once for all tests. */
  static Manifests rendered(ValuesCase values) {
    return RENDERED.computeIfAbsent(values, LimpetChart::template);
  }

  /** {@code helm template} with these values; throws what Helm refuses, with its message. */
  static Manifests template(ValuesCase values) {
    return Manifests.parse(
        new Helm(DIRECTORY)
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withValuesFile(values.file())
            .call());
  }

  /**
   * {@code helm lint --strict} with these values. helm-java's lint takes no values files, so the
   * chart is copied into {@code workDirectory} with the merged values as its {@code values.yaml}.
   */
  static LintResult lint(ValuesCase values, Path workDirectory) throws IOException {
    Path copy = workDirectory.resolve(DIRECTORY.getFileName());
    try (Stream<Path> files = Files.walk(DIRECTORY)) {
      for (Path source : files.toList()) {
        Path target = copy.resolve(DIRECTORY.relativize(source).toString());
        if (Files.isDirectory(source)) Files.createDirectories(target);
        else Files.copy(source, target);
      }
    }
    ValuesCase.YAML.writeValue(copy.resolve("values.yaml").toFile(), values.values());
    return new Helm(copy).lint().strict().call();
  }
}
