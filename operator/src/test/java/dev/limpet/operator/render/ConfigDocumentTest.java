package dev.limpet.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.limpet.contract.DataPlaneConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The document reads the same as JSON and as YAML, whatever its strings hold. */
@Timeout(30)
class ConfigDocumentTest {

  @Test
  void charactersYamlFoldsOrRefusesReadTheSameAsYaml() throws Exception {
    String source = "-- a\u2028b\u2029c\u0085d\u007fe\u0080f\u009fg\u00e9h\n";
    ObjectMapper json = JsonMapper.builder().build();
    DataPlaneConfig config =
        json.readValue(
            "{\"dataScripts\":[{\"name\":\"s\",\"events\":{\"httpRequest\":"
                + json.writeValueAsString(source)
                + "}}]}",
            DataPlaneConfig.class);

    String document = ConfigDocument.json(config);

    DataPlaneConfig fromJson = json.readValue(document, DataPlaneConfig.class);
    DataPlaneConfig fromYaml = new YAMLMapper().readValue(document, DataPlaneConfig.class);
    assertThat(fromJson.dataScripts().get(0).events().httpRequest()).isEqualTo(source);
    assertThat(fromYaml).isEqualTo(fromJson);
    assertThat(document).as("other non-ASCII text stays as it is").contains("\u00e9");
  }
}
