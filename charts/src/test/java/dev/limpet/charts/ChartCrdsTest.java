package dev.limpet.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart installs exactly the CRDs of {@code crds/}: the same files, byte for byte (both are
 * generated from the operator's model; {@code CrdDriftTest} ties them to it).
 */
@Timeout(60)
class ChartCrdsTest {
  @RegisterExtension static final LookupCluster CLUSTER = new LookupCluster();
  private static final Path CRDS = Path.of("../crds");
  private static final Path CHART_CRDS = LimpetChart.DIRECTORY.resolve("crds");

  @Test
  void theChartsCrdsAreTheFilesOfCrds() throws IOException {
    List<String> names = names(CRDS);
    assertThat(names).hasSize(4);
    assertThat(names(CHART_CRDS)).containsExactlyElementsOf(names);
    for (String name : names)
      assertThat(Files.readAllBytes(CHART_CRDS.resolve(name)))
          .as("charts/limpet/crds/%s differs from crds/%s", name, name)
          .isEqualTo(Files.readAllBytes(CRDS.resolve(name)));
  }

  /**
   * The CRDs are only in {@code crds/}, never among the templates: Helm then creates each one only
   * when it is absent and skips it otherwise, and {@code --skip-crds} leaves them out. A CRD among
   * the templates would be applied at every install and upgrade and owned by the release.
   */
  @ParameterizedTest
  @MethodSource("dev.limpet.charts.ValuesCase#matrix")
  void noTemplateRendersACrd(ValuesCase values) {
    assertThat(LimpetChart.rendered(values).objects())
        .extracting(HasMetadata::getKind)
        .isNotEmpty()
        .doesNotContain("CustomResourceDefinition");
  }

  private static List<String> names(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
