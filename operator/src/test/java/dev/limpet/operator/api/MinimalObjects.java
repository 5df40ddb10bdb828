package dev.limpet.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Objects built from a schema alone: the smallest valid-by-schema value (required fields only, the
 * lowest number, the first enum value), then that value with each optional field or block added
 * alone, recursively, each enum value and both booleans tried. What they are for: a rule that reads
 * an optional field without {@code has()} fails to evaluate on one of them.
 */
final class MinimalObjects {
  private static final List<String> SAMPLE_STRINGS = List.of("a", "/", "a.example", "1.2.3.4");

  private MinimalObjects() {}

  /** The variants of a whole object of this schema, the smallest first. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> of(JsonNode schema) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object variant : variants(schema)) out.add((Map<String, Object>) variant);
    return out;
  }

  private static List<Object> variants(JsonNode node) {
    List<Object> out = new ArrayList<>();
    if (node.has("enum")) {
      node.get("enum").forEach(v -> out.add(v.isTextual() ? v.asText() : v.numberValue()));
      return out;
    }
    switch (type(node)) {
      case "object" -> {
        Map<String, Object> base = smallestObject(node);
        out.add(base);
        node.path("properties")
            .fields()
            .forEachRemaining(
                property -> {
                  List<Object> values = variants(property.getValue());
                  // a required field is in the base already with its smallest value
                  boolean required = base.containsKey(property.getKey());
                  for (Object value : required ? values.subList(1, values.size()) : values) {
                    Map<String, Object> variant = new LinkedHashMap<>(base);
                    variant.put(property.getKey(), value);
                    out.add(variant);
                  }
                });
      }
      case "array" -> {
        out.add(smallest(node));
        if (node.path("maxItems").asInt(1) >= 1)
          for (Object item : variants(node.path("items"))) out.add(List.of(item));
      }
      case "boolean" -> out.addAll(List.of(false, true));
      default -> out.add(smallest(node));
    }
    return out;
  }

  private static Object smallest(JsonNode node) {
    if (node.has("enum")) {
      JsonNode first = node.get("enum").get(0);
      return first.isTextual() ? first.asText() : first.numberValue();
    }
    return switch (type(node)) {
      case "object" -> smallestObject(node);
      case "array" ->
          node.path("minItems").asInt(0) > 0 ? List.of(smallest(node.path("items"))) : List.of();
      case "string" -> sampleString(node);
      case "integer" -> node.has("minimum") ? node.get("minimum").asLong() : 1L;
      case "number" -> node.has("minimum") ? node.get("minimum").asDouble() : 1.0;
      case "boolean" -> false;
      case "int-or-string" -> 80L;
      default -> "a";
    };
  }

  private static Map<String, Object> smallestObject(JsonNode node) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (JsonNode name : node.path("required"))
      out.put(name.asText(), smallest(node.path("properties").path(name.asText())));
    return out;
  }

  private static String sampleString(JsonNode node) {
    String pattern = node.path("pattern").asText(".*");
    int min = node.path("minLength").asInt(0);
    for (String sample : SAMPLE_STRINGS)
      if (sample.length() >= min && java.util.regex.Pattern.compile(pattern).matcher(sample).find())
        return sample;
    throw new IllegalStateException("no sample string matches " + pattern);
  }

  private static String type(JsonNode node) {
    if (node.path("x-kubernetes-int-or-string").asBoolean()) return "int-or-string";
    return node.path("type").asText("");
  }
}
