package dev.limpet.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.DataScriptConfig.Events;
import dev.limpet.contract.DataScriptConfig.PoolRef;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ConfigValidatorDataScriptTest {

  private static List<String> problems(DataScriptConfig script) {
    var pool = new PoolConfig("primary-pool", null, List.of(), null, null, 0, 0);
    var vs =
        new VirtualServiceConfig(
            "web", null, 80, null, "primary-pool", null, null, null, List.of(script.name()), null);
    return ConfigValidator.validate(
        new DataPlaneConfig(
            "1", List.of(vs), List.of(pool), null, null, List.of(script), null, null));
  }

  @Test
  void aScriptThatCompilesAndNamesItsAliasIsValid() {
    var script =
        new DataScriptConfig(
            "sticky",
            new Events("avi.pool.select('primary_pool')", "local x = 1", null),
            List.of(new PoolRef("primary-pool", "primary_pool")));
    assertThat(problems(script)).isEmpty();
  }

  @Test
  void aSyntaxErrorIsAProblemOfItsEventWithTheLine() {
    var script =
        new DataScriptConfig(
            "sticky", new Events(null, "local a = 1\nlocal b = 2\nx = = 3", null), List.of());
    assertThat(problems(script))
        .containsExactly("dataScripts[0].events.httpResponse: line 3: unexpected symbol near '='");
  }

  @Test
  void aLiteralPoolOutsideThePoolsListIsAProblem() {
    var script =
        new DataScriptConfig(
            "sticky",
            new Events(null, null, "\navi.pool.select('primary-pool')"),
            List.of(new PoolRef("primary-pool", "primary_pool")));
    assertThat(problems(script))
        .containsExactly(
            "dataScripts[0].events.httpResponseFailed: line 2: avi.pool.select names pool"
                + " 'primary-pool', which is not in this DataScript's pools [primary_pool]");
  }

  @Test
  void aPoolNameInAConstantVariableIsCheckedLikeALiteral() {
    var script =
        new DataScriptConfig(
            "sticky",
            new Events(
                "local pool = 'primary-pool'\nif x then avi.pool.select(pool) end", null, null),
            List.of(new PoolRef("primary-pool", "primary_pool")));
    assertThat(problems(script))
        .containsExactly(
            "dataScripts[0].events.httpRequest: line 2: avi.pool.select names pool"
                + " 'primary-pool', which is not in this DataScript's pools [primary_pool]");
  }

  @Test
  void aFunctionLimpetDoesNotOfferIsAProblemWithItsLineAndWhy() {
    var script =
        new DataScriptConfig(
            "geo",
            new Events("\nlocal c = avi.utils.get_geo_from_ip(avi.vs.client_ip())", null, null),
            List.of());
    assertThat(problems(script))
        .singleElement()
        .asString()
        .startsWith(
            "dataScripts[0].events.httpRequest: line 2: avi.utils.get_geo_from_ip is not"
                + " available in Limpet: ");
  }

  @Test
  void groupsNeedUniqueNamesValidBlocksAndStringsOrAMap() {
    var script =
        new DataScriptConfig(
            "groups",
            new Events("local x = 1", null, null),
            List.of(),
            List.of(
                new DataScriptConfig.IpGroup("a", List.of("10.0.0.0/8", "10.0.0.0/33", "host")),
                new DataScriptConfig.IpGroup("a", List.of())),
            List.of(
                new DataScriptConfig.StringGroup("s", List.of("x"), java.util.Map.of("k", "v")),
                new DataScriptConfig.StringGroup("t", List.of(""), null)));
    assertThat(problems(script))
        .containsExactly(
            "dataScripts[0].ipGroups[0].addresses[1]: prefix length of '10.0.0.0/33' must be 0..32",
            "dataScripts[0].ipGroups[0].addresses[2]: 'host' is not an IP address",
            "dataScripts[0].ipGroups[1].name: 'a' is used twice",
            "dataScripts[0].stringGroups[0]: has strings or a map, not both",
            "dataScripts[0].stringGroups[1]: entries must not be empty");
  }

  @Test
  void rateLimitersNeedUniqueNamesAndBoundedSettings() {
    var script =
        new DataScriptConfig(
            "limits",
            new Events("local x = 1", null, null),
            List.of(),
            List.of(),
            List.of(),
            List.of(
                new DataScriptConfig.RateLimiter("r", 10, null, null, null, null, null),
                new DataScriptConfig.RateLimiter("r", 0, 0, -1, 2_000_000, null, 700),
                new DataScriptConfig.RateLimiter("", 1, 86_401, 0, 1, null, null)));
    assertThat(problems(script))
        .containsExactly(
            "dataScripts[0].rateLimiters[1].name: 'r' is used twice",
            "dataScripts[0].rateLimiters[1].count: must be 1..1000000",
            "dataScripts[0].rateLimiters[1].periodSeconds: must be 1..86400",
            "dataScripts[0].rateLimiters[1].burst: must be 0..1000000",
            "dataScripts[0].rateLimiters[1].maxKeys: must be 1..1000000",
            "dataScripts[0].rateLimiters[1].status: must be 200..599",
            "dataScripts[0].rateLimiters[2].name: is required",
            "dataScripts[0].rateLimiters[2].periodSeconds: must be 1..86400");
  }

  @Test
  void aRateLimiterDefaultsToOnePerSecondPeriodNoBurstTenThousandKeysAndNoAction() {
    var r = new DataScriptConfig.RateLimiter("r", 5, null, null, null, null, null);
    assertThat(List.of(r.periodSeconds(), r.burst(), r.maxKeys(), r.status()))
        .containsExactly(1, 0, 10_000, 429);
    assertThat(r.action()).isEqualTo(DataScriptConfig.RateLimitAction.NONE);
  }
}
