package dev.limpet.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.runtime.CelEvaluationException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An estimate of what the API server's cost estimate checks, made by running each rule on the
 * largest value its schema allows ({@link WorstCaseValues}) and counting its cost, times the number
 * of times the rule runs per object (the {@code maxItems} of every list above it). The limit held
 * is Kubernetes' run-time limit for one expression, 1,000,000, ten times below the static
 * estimate's per-rule limit (10,000,000) that refused the CRDs. This is an estimate by measurement,
 * not Kubernetes' cost model, which cel-java does not have.
 */
@Timeout(60)
class CrdRuleCostTest {
  static final long PER_CALL_LIMIT = 1_000_000;

  @ParameterizedTest
  @ValueSource(strings = {"persistenceprofiles", "pools", "virtualservices", "datascripts"})
  void everyRuleCostsLessThanKubernetesPerCallLimitOnTheLargestObject(String plural)
      throws CelEvaluationException {
    CrdRules crd = CrdRules.load(plural);
    List<String> over = new ArrayList<>();
    for (CrdRules.Rule rule : crd.rules()) {
      long cost = crd.cost(rule, WorstCaseValues.of(rule.schema())) * cardinality(crd, rule);
      System.out.printf("CEL COST %s %s: %d%n", rule.path(), rule.refusal(), cost);
      if (cost > PER_CALL_LIMIT) over.add(rule.path() + " " + rule.refusal() + ": " + cost);
    }

    assertThat(over).isEmpty();
  }

  /** How many times the rule runs on one object: the maxItems of every list above it. */
  private static long cardinality(CrdRules crd, CrdRules.Rule rule) {
    long cardinality = 1;
    JsonNode node = crd.schema();
    String path = rule.path().substring(crd.kind().length());
    for (String step : path.split("(?=[.\\[])")) {
      if (step.equals("[*]")) {
        cardinality *= node.path("maxItems").asLong(Long.MAX_VALUE / PER_CALL_LIMIT);
        node = node.path("items");
      } else if (!step.isEmpty()) node = node.path("properties").path(step.substring(1));
    }
    assertThat(node).as(rule.path()).isSameAs(rule.schema());
    return cardinality;
  }
}
