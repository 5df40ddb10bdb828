package dev.limpet.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import java.util.stream.Collectors;

/** Parses and validates a configuration document (YAML or JSON, YAML being a superset). */
public final class ConfigLoader {
  private static final ObjectMapper MAPPER =
      YAMLMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .build();

  private ConfigLoader() {}

  /** The validated configuration, or every problem found, each naming its field. */
  public static DataPlaneConfig parse(String document) throws ConfigException {
    DataPlaneConfig config;
    try {
      config = MAPPER.readValue(document, DataPlaneConfig.class);
    } catch (JsonMappingException e) {
      throw new ConfigException(List.of(fieldPath(e) + ": " + e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      throw new ConfigException(List.of("syntax: " + e.getOriginalMessage()));
    }
    if (config == null) throw new ConfigException(List.of("document: empty"));
    List<String> problems = ConfigValidator.validate(config);
    if (!problems.isEmpty()) throw new ConfigException(problems);
    return config;
  }

  /** The configuration as JSON, as the admin endpoint shows it. */
  public static String toJson(DataPlaneConfig config) {
    try {
      return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String fieldPath(JsonMappingException e) {
    String path =
        e.getPath().stream()
            .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining());
    return path.isEmpty() ? "document" : path.substring(path.startsWith(".") ? 1 : 0);
  }
}
