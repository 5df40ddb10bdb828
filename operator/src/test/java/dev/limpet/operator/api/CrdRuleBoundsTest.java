package dev.limpet.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The API server refuses a CRD whose rules its cost estimate cannot bound ({@code estimated rule
 * cost exceeds budget}). The estimate takes a string's size from {@code maxLength} (or its longest
 * enum value), a list's from {@code maxItems}, a map's from {@code maxProperties}, and the number
 * of times a rule runs from the {@code maxItems} of every list above it; without them it assumes
 * the whole request (3 MiB) is that one value. So: every string, list and map a rule can reach from
 * its {@code self}, and every list above a rule, has its bound. The estimate itself (Kubernetes'
 * cost model) is not computed here.
 */
@Timeout(30)
class CrdRuleBoundsTest {

  @ParameterizedTest
  @ValueSource(strings = {"persistenceprofiles", "pools", "virtualservices", "datascripts"})
  void everyValueARuleReachesIsBounded(String plural) {
    CrdRules crd = CrdRules.load(plural);
    List<String> unbounded = new ArrayList<>();
    for (CrdRules.Rule rule : crd.rules()) unbounded(rule.schema(), rule.path(), unbounded);

    assertThat(crd.rules()).isNotEmpty();
    assertThat(unbounded).as("values a CEL rule reaches without a bound").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"persistenceprofiles", "pools", "virtualservices", "datascripts"})
  void everyListAboveARuleIsBounded(String plural) {
    CrdRules crd = CrdRules.load(plural);
    List<String> unbounded = new ArrayList<>();
    listsAboveRules(crd.schema(), crd.kind(), unbounded);

    assertThat(unbounded).as("lists whose items carry CEL rules, without maxItems").isEmpty();
  }

  /** Adds the path of every unbounded string, list or map at or under {@code node}. */
  static void unbounded(JsonNode node, String path, List<String> out) {
    if (node.path("x-kubernetes-int-or-string").asBoolean())
      return; // an int, or a Service port name
    switch (node.path("type").asText()) {
      case "string" -> {
        if (!node.has("maxLength") && !node.has("enum")) out.add(path + " (string: maxLength)");
      }
      case "array" -> {
        if (!node.has("maxItems")) out.add(path + " (list: maxItems)");
        unbounded(node.path("items"), path + "[*]", out);
      }
      case "object" -> {
        node.path("properties")
            .fields()
            .forEachRemaining(f -> unbounded(f.getValue(), path + "." + f.getKey(), out));
        if (node.path("additionalProperties").isObject()) {
          if (!node.has("maxProperties")) out.add(path + " (map: maxProperties)");
          unbounded(node.get("additionalProperties"), path + "[*]", out);
        }
      }
      default -> {}
    }
  }

  /** Returns whether a rule sits at or under {@code node}; adds unbounded lists holding one. */
  private static boolean listsAboveRules(JsonNode node, String path, List<String> out) {
    boolean rules = node.has("x-kubernetes-validations");
    var properties = node.path("properties").fields();
    while (properties.hasNext()) {
      var f = properties.next();
      rules |= listsAboveRules(f.getValue(), path + "." + f.getKey(), out);
    }
    if (node.has("items") && listsAboveRules(node.get("items"), path + "[*]", out)) {
      rules = true;
      if (!node.has("maxItems")) out.add(path);
    }
    if (node.path("additionalProperties").isObject()
        && listsAboveRules(node.get("additionalProperties"), path + "[*]", out)) {
      rules = true;
      if (!node.has("maxProperties")) out.add(path);
    }
    return rules;
  }
}
