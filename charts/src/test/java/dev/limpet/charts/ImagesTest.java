package dev.limpet.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The image names agree everywhere: the build commands of docs/images.md, the chart's default
 * values and appVersion, and the Dockerfiles (the jar each module's build makes, the user the
 * chart's security context expects).
 */
@Timeout(10)
class ImagesTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern BUILD =
      Pattern.compile("^docker build -t (\\S+):(\\S+) (operator|dataplane)$", Pattern.MULTILINE);

  /** module directory → the values key of its image */
  private static final Map<String, String> VALUES_KEY =
      Map.of("operator", "/operator/image", "dataplane", "/dataPlane/image");

  @Test
  void theDocumentedBuildsMakeTheImagesTheChartPullsByDefault() throws IOException {
    Map<String, String> documented = documentedImages();
    JsonNode values = ValuesCase.named("defaults").values();
    String appVersion = LimpetChart.appVersion();

    assertThat(documented).containsOnlyKeys(VALUES_KEY.keySet());
    VALUES_KEY.forEach(
        (module, key) -> {
          JsonNode image = values.at(key);
          assertThat(image.get("tag").asText())
              .as("%s: the default tag is appVersion", key)
              .isEmpty();
          assertThat(documented.get(module))
              .isEqualTo(image.get("repository").asText() + ":" + appVersion);
        });
  }

  @Test
  void eachDockerfileCopiesTheJarItsModuleBuildsAndRunsAsTheChartsUser() throws IOException {
    long user = ValuesCase.named("defaults").values().at("/podSecurityContext/runAsUser").asLong();
    for (String module : VALUES_KEY.keySet()) {
      String dockerfile = Files.readString(ROOT.resolve(module).resolve("Dockerfile"));
      String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
      Matcher finalName = Pattern.compile("<finalName>(\\S+)</finalName>").matcher(pom);
      assertThat(finalName.find()).as("%s/pom.xml names its shaded jar", module).isTrue();
      String jar = finalName.group(1) + ".jar";

      assertThat(dockerfile).contains("COPY target/" + jar + " /opt/limpet/" + jar);
      assertThat(dockerfile).contains("\"-jar\", \"/opt/limpet/" + jar + "\"");
      assertThat(dockerfile).containsPattern("(?m)^USER " + user + ":" + user + "$");
      assertThat(Files.readString(ROOT.resolve(module).resolve(".dockerignore")))
          .contains("!target/" + jar);
    }
  }

  private static Map<String, String> documentedImages() throws IOException {
    Matcher m = BUILD.matcher(Files.readString(ROOT.resolve("docs/images.md")));
    return m.results()
        .collect(Collectors.toMap(r -> r.group(3), r -> r.group(1) + ":" + r.group(2)));
  }
}
