package dev.limpet.operator.reconciler;

import static dev.limpet.operator.RunningOperator.eventually;
import static dev.limpet.operator.TestResources.dataScript;
import static dev.limpet.operator.TestResources.scriptedVirtualService;
import static dev.limpet.operator.TestResources.staticPool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.ConfigLoader;
import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.DataScriptSpec;
import dev.limpet.operator.api.VirtualService;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataScriptReconcilerTest extends OperatorOnMockApi {

  @Test
  void aSyntaxErrorKeepsTheScriptAndItsVirtualServiceOutUntilFixed() throws Exception {
    operator.create(staticPool("p", null, "10.0.0.1"));
    operator.create(staticPool("canary", null, "10.0.0.9"));
    operator.create(dataScript("route", "local x = 1\noops", "canary"));
    operator.create(scriptedVirtualService("web", 80, "p", "route"));

    eventually()
        .untilAsserted(
            () -> {
              Condition compiled = condition("route", "Compiled");
              assertThat(compiled.getStatus()).isEqualTo("False");
              assertThat(compiled.getReason()).isEqualTo("SyntaxError");
              assertThat(compiled.getMessage()).isEqualTo("httpRequest line 2: syntax error");
              assertThat(condition("route", "Ready").getStatus()).isEqualTo("False");
              Condition refs =
                  operator.condition(VirtualService.class, "web", "ResolvedRefs").orElseThrow();
              assertThat(refs.getReason()).isEqualTo("RefNotReady");
              assertThat(refs.getMessage())
                  .contains("DataScript 'route' does not compile: httpRequest line 2");
            });

    operator.edit(
        DataScript.class, "route", s -> s.setSpec(withRequest(s.getSpec(), "local x = 1")));

    eventually()
        .untilAsserted(
            () -> {
              assertThat(condition("route", "Compiled").getStatus()).isEqualTo("True");
              assertThat(condition("route", "Ready").getStatus()).isEqualTo("True");
              assertThat(
                      operator
                          .condition(VirtualService.class, "web", "Ready")
                          .orElseThrow()
                          .getStatus())
                  .isEqualTo("True");
            });
    var config = ConfigLoader.parse(operator.groupConfig("default").orElseThrow());
    assertThat(config.dataScripts()).extracting(d -> d.name()).containsExactly("route");
    assertThat(config.pools()).extracting(p -> p.name()).containsExactly("canary", "p");
  }

  @Test
  void aMissingPoolIsNamedUntilCreated() {
    operator.create(dataScript("route", "return", "canary"));
    eventually()
        .untilAsserted(
            () -> {
              Condition refs = condition("route", "ResolvedRefs");
              assertThat(refs.getStatus()).isEqualTo("False");
              assertThat(refs.getMessage()).contains("Pool 'canary'");
            });

    operator.create(staticPool("canary", null, "10.0.0.9"));
    eventually()
        .untilAsserted(() -> assertThat(condition("route", "Ready").getStatus()).isEqualTo("True"));
  }

  @Test
  void aPoolInAConstantVariableAndAFunctionLimpetDoesNotOfferAreReportedOnTheStatus() {
    operator.create(staticPool("canary", null, "10.0.0.9"));
    operator.create(
        dataScript(
            "geo",
            "local pool = 'elsewhere'\navi.pool.select(pool)\n"
                + "local c = avi.utils.get_geo_from_ip(avi.vs.client_ip())",
            "canary"));
    eventually()
        .untilAsserted(
            () -> {
              Condition accepted = condition("geo", "Accepted");
              assertThat(accepted.getStatus()).isEqualTo("False");
              assertThat(accepted.getMessage())
                  .contains(
                      "line 2: avi.pool.select names pool 'elsewhere', which is not in this"
                          + " DataScript's pools [canary]")
                  .contains("line 3: avi.utils.get_geo_from_ip is not available in Limpet");
              assertThat(condition("geo", "Ready").getStatus()).isEqualTo("False");
            });
  }

  @Test
  void groupsReachTheDataPlaneAndABadBlockIsReportedOnTheStatus() throws Exception {
    operator.create(staticPool("p", null, "10.0.0.1"));
    DataScript script =
        dataScript("guard", "if avi.ipgroup.contains('office', avi.vs.client_ip()) then end");
    script.setSpec(
        new DataScriptSpec(
            script.getSpec().events(),
            null,
            List.of(new DataScriptSpec.IpGroup("office", List.of("10.0.0.0/8", "192.0.2.7"))),
            List.of(
                new DataScriptSpec.StringGroup(
                    "sections", null, java.util.Map.of("/admin", "staff")))));
    operator.create(script);
    operator.create(scriptedVirtualService("web", 80, "p", "guard"));
    eventually()
        .untilAsserted(() -> assertThat(condition("guard", "Ready").getStatus()).isEqualTo("True"));
    eventually()
        .untilAsserted(
            () -> {
              var config = ConfigLoader.parse(operator.groupConfig("default").orElseThrow());
              var rendered = config.dataScripts().get(0);
              assertThat(rendered.ipGroups().get(0).addresses())
                  .containsExactly("10.0.0.0/8", "192.0.2.7");
              assertThat(rendered.stringGroups().get(0).map()).containsEntry("/admin", "staff");
            });

    operator.edit(
        DataScript.class,
        "guard",
        s ->
            s.setSpec(
                new DataScriptSpec(
                    s.getSpec().events(),
                    null,
                    List.of(new DataScriptSpec.IpGroup("office", List.of("10.0.0.0/33"))),
                    null)));
    eventually()
        .untilAsserted(
            () -> {
              Condition accepted = condition("guard", "Accepted");
              assertThat(accepted.getStatus()).isEqualTo("False");
              assertThat(accepted.getMessage())
                  .contains("spec.ipGroups[0].addresses[0]: prefix length of '10.0.0.0/33'");
            });
  }

  @Test
  void rateLimitersReachTheDataPlaneWithTheirSettingsAndABadOneIsReported() throws Exception {
    operator.create(staticPool("p", null, "10.0.0.1"));
    DataScript script =
        dataScript("limit", "if avi.vs.ratelimit.exceed('per_ip', avi.vs.client_ip()) then end");
    DataScriptSpec spec = script.getSpec();
    script.setSpec(
        new DataScriptSpec(
            spec.events(),
            null,
            null,
            null,
            List.of(
                new DataScriptSpec.RateLimiter(
                    "per_ip",
                    100,
                    60,
                    20,
                    5000,
                    DataScriptSpec.RateLimiter.Action.LOCAL_RSP,
                    503))));
    operator.create(script);
    operator.create(scriptedVirtualService("web", 80, "p", "limit"));
    eventually()
        .untilAsserted(() -> assertThat(condition("limit", "Ready").getStatus()).isEqualTo("True"));
    eventually()
        .untilAsserted(
            () -> {
              var config = ConfigLoader.parse(operator.groupConfig("default").orElseThrow());
              assertThat(config.dataScripts().get(0).rateLimiters())
                  .containsExactly(
                      new dev.limpet.contract.DataScriptConfig.RateLimiter(
                          "per_ip",
                          100,
                          60,
                          20,
                          5000,
                          dev.limpet.contract.DataScriptConfig.RateLimitAction.LOCAL_RSP,
                          503));
            });

    operator.edit(
        DataScript.class,
        "limit",
        s ->
            s.setSpec(
                new DataScriptSpec(
                    s.getSpec().events(),
                    null,
                    null,
                    null,
                    List.of(
                        new DataScriptSpec.RateLimiter("a", 1, null, null, null, null, null),
                        new DataScriptSpec.RateLimiter("a", 1, null, null, null, null, null)))));
    eventually()
        .untilAsserted(
            () -> {
              Condition accepted = condition("limit", "Accepted");
              assertThat(accepted.getStatus()).isEqualTo("False");
              assertThat(accepted.getMessage())
                  .contains("spec.rateLimiters[1].name: 'a' is used twice");
            });
  }

  private Condition condition(String name, String type) {
    return operator.condition(DataScript.class, name, type).orElseThrow();
  }

  private static DataScriptSpec withRequest(DataScriptSpec s, String source) {
    return new DataScriptSpec(new DataScriptSpec.Events(source, null, null), s.pools());
  }
}
