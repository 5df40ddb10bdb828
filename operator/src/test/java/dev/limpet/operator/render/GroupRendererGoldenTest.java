package dev.limpet.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.limpet.contract.ConfigLoader;
import dev.limpet.contract.DataPlaneConfig;
import dev.limpet.operator.MapNamespaceView;
import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.validation.GroupAdmission;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Input resources (src/test/resources/golden/CASE/input.yaml) render to exactly the checked-in
 * expected.yaml. After an intended change, regenerate with {@code -Dgolden.update=true} and review
 * the diff.
 */
@Timeout(30)
class GroupRendererGoldenTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final ObjectMapper YAML =
      YAMLMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.of(
          "PersistenceProfile", PersistenceProfile.class,
          "Pool", Pool.class,
          "DataScript", DataScript.class,
          "VirtualService", VirtualService.class,
          "Service", Service.class,
          "EndpointSlice", EndpointSlice.class);

  @ParameterizedTest
  @ValueSource(strings = {"cookie-static", "service-endpoints"})
  void rendersTheExpectedDocument(String name) throws Exception {
    List<HasMetadata> objects = load(GOLDEN.resolve(name).resolve("input.yaml"));
    var view = new MapNamespaceView(objects);
    List<VirtualService> services =
        objects.stream()
            .filter(VirtualService.class::isInstance)
            .map(VirtualService.class::cast)
            .toList();
    var verdicts =
        GroupAdmission.judge(services, view, script -> Optional.empty(), java.time.Instant.now());
    List<VirtualService> admitted =
        services.stream()
            .filter(vs -> verdicts.get(vs.getMetadata().getName()).admitted())
            .toList();

    DataPlaneConfig config = GroupRenderer.render(GroupAdmission.input(admitted, verdicts, view));
    String readable = ConfigDocument.yaml(config);
    String document = ConfigDocument.json(config);

    Path expected = GOLDEN.resolve(name).resolve("expected.yaml");
    if (Boolean.getBoolean("golden.update")) Files.writeString(expected, readable);
    assertThat(readable).isEqualTo(Files.readString(expected));
    assertThat(ConfigLoader.parse(document)).as("the document loads").isEqualTo(config);
    assertThat(ConfigLoader.parse(readable)).as("its YAML says the same").isEqualTo(config);
    assertThat(
            ConfigDocument.document(
                GroupRenderer.unversioned(GroupAdmission.input(admitted, verdicts, view))))
        .as("the document serialised once is the same")
        .isEqualTo(new ConfigDocument.Versioned(config, document));
    assertThat(GroupRenderer.render(GroupAdmission.input(admitted, verdicts, view)).version())
        .as("rendering is deterministic")
        .isEqualTo(config.version());
  }

  private static List<HasMetadata> load(Path file) throws Exception {
    List<HasMetadata> objects = new ArrayList<>();
    for (JsonNode doc :
        YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class).readAll()) {
      objects.add(YAML.treeToValue(doc, KINDS.get(doc.get("kind").asText())));
    }
    return objects;
  }
}
