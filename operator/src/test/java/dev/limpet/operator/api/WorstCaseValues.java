package dev.limpet.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The largest value a schema allows, as the API server's cost estimate imagines it: every property
 * present, every list at {@code maxItems}, every map at {@code maxProperties}, every string at
 * {@code maxLength} (or its longest enum value). Items differ from each other, so that uniqueness
 * rules run to the end instead of stopping at the first duplicate. Patterns are ignored: CEL does
 * not read them.
 */
final class WorstCaseValues {
  private WorstCaseValues() {}

  static Object of(JsonNode node) {
    return of(node, "");
  }

  private static Object of(JsonNode node, String distinct) {
    if (node.path("x-kubernetes-int-or-string").asBoolean()) return 65535L;
    if (node.has("enum")) {
      String longest = "";
      for (JsonNode value : node.get("enum"))
        if (value.asText().length() > longest.length()) longest = value.asText();
      return longest;
    }
    return switch (node.path("type").asText()) {
      case "object" -> {
        Map<String, Object> out = new LinkedHashMap<>();
        node.path("properties")
            .fields()
            .forEachRemaining(f -> out.put(f.getKey(), of(f.getValue(), distinct)));
        if (node.path("additionalProperties").isObject())
          for (int i = 0; i < bound(node, "maxProperties"); i++)
            out.put("k" + i, of(node.get("additionalProperties"), distinct + i));
        yield out;
      }
      case "array" -> {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < bound(node, "maxItems"); i++)
          out.add(of(node.path("items"), distinct + "-" + i));
        yield out;
      }
      case "string" -> {
        int length = bound(node, "maxLength");
        String suffix = distinct.length() > length ? "" : distinct;
        yield "x".repeat(length - suffix.length()) + suffix;
      }
      case "integer" -> node.has("maximum") ? node.get("maximum").asLong() : Long.MAX_VALUE;
      case "number" -> node.has("maximum") ? node.get("maximum").asDouble() : Double.MAX_VALUE;
      case "boolean" -> true;
      default -> "x";
    };
  }

  private static int bound(JsonNode node, String keyword) {
    if (!node.has(keyword))
      throw new IllegalStateException("no " + keyword + " (CrdRuleBoundsTest says where)");
    return node.get(keyword).asInt();
  }
}
