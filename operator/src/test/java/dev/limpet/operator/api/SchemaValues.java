package dev.limpet.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed object as the API server hands it to CEL: unknown fields pruned, defaults of the schema
 * applied (optionally), integers as {@code long} and numbers as {@code double}, as CEL types them.
 */
final class SchemaValues {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SchemaValues() {}

  /** A converted deep copy of {@code value}, read against {@code schema}. */
  static Object of(JsonNode schema, Object value, boolean withDefaults) {
    if (value == null) return null;
    if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()
        && !schema.has("properties")) return numbersAsCel(value);
    if (schema.path("x-kubernetes-int-or-string").asBoolean()) return numbersAsCel(value);
    return switch (schema.path("type").asText()) {
      case "integer" -> value instanceof Number n ? (Object) n.longValue() : value;
      case "number" -> value instanceof Number n ? (Object) n.doubleValue() : value;
      case "array" -> {
        if (!(value instanceof List<?> list)) yield value;
        List<Object> out = new ArrayList<>();
        for (Object item : list) out.add(of(schema.path("items"), item, withDefaults));
        yield out;
      }
      case "object" -> value instanceof Map<?, ?> map ? object(schema, map, withDefaults) : value;
      default -> value;
    };
  }

  private static Map<String, Object> object(JsonNode schema, Map<?, ?> map, boolean withDefaults) {
    Map<String, Object> out = new LinkedHashMap<>();
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.path("additionalProperties");
    map.forEach(
        (key, item) -> {
          String name = String.valueOf(key);
          if (properties.has(name)) out.put(name, of(properties.get(name), item, withDefaults));
          else if (additional.isObject()) out.put(name, of(additional, item, withDefaults));
          else if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean())
            out.put(name, numbersAsCel(item));
          // anything else is pruned, as the API server prunes unknown fields
        });
    if (withDefaults)
      properties
          .fields()
          .forEachRemaining(
              f -> {
                if (!out.containsKey(f.getKey()) && f.getValue().has("default"))
                  out.put(
                      f.getKey(),
                      of(
                          f.getValue(),
                          JSON.convertValue(f.getValue().get("default"), Object.class),
                          true));
              });
    return out;
  }

  private static Object numbersAsCel(Object value) {
    if (value instanceof Integer || value instanceof Short || value instanceof Byte)
      return ((Number) value).longValue();
    if (value instanceof Float f) return f.doubleValue();
    if (value instanceof List<?> list)
      return list.stream().map(SchemaValues::numbersAsCel).toList();
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), numbersAsCel(v)));
      return out;
    }
    return value;
  }
}
