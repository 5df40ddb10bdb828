package dev.limpet.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Parses and validates a configuration document (YAML or JSON, YAML being a superset). A document
 * that is JSON (the operator writes JSON: a group of 1,000 VirtualServices parses in a fifth of the
 * time YAML takes) is read by Jackson's JSON parser; anything else, flow-style YAML that opens with
 * a brace included, by the YAML parser. Both map onto the same records with the same settings.
 */
public final class ConfigLoader {
  private static final ObjectMapper MAPPER =
      YAMLMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          // a repeated key in a record would otherwise keep its last value silently
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          // "{...} x" is neither JSON nor YAML: the read must not stop after the first value
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          // "{...} # a comment" is YAML: it must not end the JSON read early and pass
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private ConfigLoader() {}

  /** The validated configuration, or every problem found, each naming its field. */
  public static DataPlaneConfig parse(String document) throws ConfigException {
    DataPlaneConfig config;
    try {
      config = read(document);
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

  private static DataPlaneConfig read(String document) throws JsonProcessingException {
    if (document.stripLeading().startsWith("{")) {
      try {
        return JSON.readValue(document, DataPlaneConfig.class);
      } catch (StreamReadException notJson) {
        // flow-style YAML ({a: 1}) or a syntax error, which the YAML parser reports
      }
    }
    return MAPPER.readValue(document, DataPlaneConfig.class);
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
