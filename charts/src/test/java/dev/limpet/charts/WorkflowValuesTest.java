package dev.limpet.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code helm install --set} values of the end-to-end workflow (which runs only on GitHub) are
 * values the chart takes, and they make it run the images the workflow builds and loads.
 */
@Timeout(60)
class WorkflowValuesTest {
  private static final Path WORKFLOW = Path.of("../.github/workflows/e2e.yml");
  // the chart's lookup of its generated Secrets needs an API server to ask
  @RegisterExtension static final LookupCluster CLUSTER = new LookupCluster();
  private static final Pattern SET = Pattern.compile("--set ([A-Za-z0-9_.]+)=(\\S+)");
  @TempDir Path work;

  @Test
  void theEndToEndWorkflowsValuesRenderWithTheImagesItLoads() throws IOException {
    ObjectNode values = ValuesCase.YAML.createObjectNode();
    Matcher m = SET.matcher(Files.readString(WORKFLOW));
    int sets = 0;
    for (; m.find(); sets++) {
      ObjectNode node = values;
      String[] path = m.group(1).split("\\.");
      for (int i = 0; i < path.length - 1; i++)
        node = node.has(path[i]) ? (ObjectNode) node.get(path[i]) : node.putObject(path[i]);
      node.put(path[path.length - 1], m.group(2));
    }
    assertThat(sets).as("--set values in " + WORKFLOW).isPositive();

    // helm template checks them against values.schema.json (unknown keys are refused)
    Manifests rendered =
        LimpetChart.template(
            ValuesCase.write(work, "e2e-workflow", ValuesCase.YAML.writeValueAsString(values)));

    for (String container : new String[] {"operator", "dataplane"}) {
      var c = Manifests.container(rendered.deployment(container));
      assertThat(c.getImage()).isEqualTo("ghcr.io/limpet-dev/limpet-" + container + ":ci");
      assertThat(c.getImagePullPolicy()).isEqualTo("Never");
    }
    assertThat(Files.readString(WORKFLOW))
        .contains("docker build -t ghcr.io/limpet-dev/limpet-operator:ci operator")
        .contains("docker build -t ghcr.io/limpet-dev/limpet-dataplane:ci dataplane");
  }
}
