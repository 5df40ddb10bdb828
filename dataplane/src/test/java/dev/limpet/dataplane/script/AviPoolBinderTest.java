package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.script.ScriptResult.Failed;
import dev.limpet.dataplane.script.ScriptResult.Proceed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class AviPoolBinderTest {
  private final ScriptHarness harness = new ScriptHarness();
  private final FakeExchange exchange = new FakeExchange("/");

  private ScriptResult select(String call) {
    harness.request(call);
    return harness.request(exchange);
  }

  @Test
  void selectWithAPoolOnlyBalancesInThatPoolByItsConfigurationName() {
    ScriptResult result = select("avi.pool.select('primary_pool')");
    assertThat(result.action()).isInstanceOf(Proceed.class);
    assertThat(result.selection()).isEqualTo(new PoolSelection("primary-pool", null));
  }

  @Test
  void aNilServerMeansNormalBalancing() {
    assertThat(select("avi.pool.select('backup', nil)").selection())
        .isEqualTo(new PoolSelection("backup", null));
  }

  @Test
  void selectsAServerByIpByIpAndPortAndByName() {
    assertThat(select("avi.pool.select('primary_pool', '10.0.0.2')").selection().server())
        .isSameAs(harness.b);
    var h = new ScriptHarness();
    h.request("avi.pool.select('primary_pool', '10.0.0.1', '8080')");
    assertThat(h.request(new FakeExchange("/")).selection().server()).isSameAs(h.a);
    var byName = new ScriptHarness();
    byName.request("avi.pool.select('backup', 'backup-1', 9090)");
    assertThat(byName.request(new FakeExchange("/")).selection())
        .isEqualTo(new PoolSelection("backup", byName.backup));
  }

  @Test
  void theLastSelectWins() {
    assertThat(select("avi.pool.select('backup')\navi.pool.select('primary_pool')").selection())
        .isEqualTo(new PoolSelection("primary-pool", null));
  }

  @Test
  void aStaleDownOrDrainingServerIsBalancedInThePoolAndCountedNeverA500() {
    harness.b.setHealthy(false);
    for (String server : new String[] {"'10.9.9.9'", "'10.0.0.1', 1234", "'10.0.0.2'", "'c'"}) {
      ScriptResult result = select("avi.pool.select('primary_pool', " + server + ")");
      assertThat(result.action()).as(server).isInstanceOf(Proceed.class);
      assertThat(result.selection()).as(server).isEqualTo(new PoolSelection("primary-pool", null));
    }
    assertThat(harness.serversNotUsed).hasSize(4).allMatch(s -> s.startsWith("web/s"));
    assertThat(harness.failures).isEmpty();
  }

  @Test
  void aPoolOutsideTheScriptsPoolsIsARuntimeError() {
    ScriptResult result = select("local p = 'primary-' .. 'pool'\navi.pool.select(p)");
    assertThat(result.action()).isInstanceOf(Failed.class);
    assertThat(harness.failure())
        .isEqualTo(
            "s0/httpRequest:2: bad argument #1 to 'avi.pool.select' (pool 'primary-pool' is not in"
                + " the pools of DataScript s0 [backup, primary_pool])");
  }

  @Test
  void aBadPortIsAnArgumentError() {
    select("avi.pool.select('backup', '10.1.0.1', 'http')");
    assertThat(harness.failure()).contains("bad argument #3 to 'avi.pool.select'");
  }

  @Test
  void serverStatusIsOneUpZeroDownNilForANonMember() {
    harness.b.setHealthy(false);
    assertThat(
            harness.logs(
                """
                avi.vs.log(avi.pool.get_server_status('primary_pool', '10.0.0.1', 8080))
                avi.vs.log(avi.pool.get_server_status('primary_pool', '10.0.0.2', '8080'))
                avi.vs.log(avi.pool.get_server_status('primary_pool', '10.0.0.3', 8080))
                avi.vs.log(avi.pool.get_server_status('primary_pool', '10.0.0.1', 9999))
                """,
                exchange))
        .containsExactly("1", "0", "0", "nil");
  }

  @Test
  void getServersCountsUpAndConfiguredOfTheNamedOrCurrentPool() {
    harness.b.setHealthy(false);
    assertThat(
            harness.logs(
                """
                avi.vs.log(avi.pool.get_servers('backup'))
                avi.vs.log(avi.pool.get_servers())
                avi.pool.select('backup')
                avi.vs.log(avi.pool.get_servers())
                """,
                exchange))
        .containsExactly("1 1", "1 3", "1 1");
  }

  @Test
  void serverIpAndInfoNameTheServerThatAnswered() {
    harness.script(
        "s",
        null,
        "avi.vs.log(avi.pool.server_ip())\navi.vs.log(avi.pool.get_server_info())",
        null);
    var tx = new ScriptTransaction();
    harness.run(ScriptEvent.HTTP_REQ, tx, exchange);
    harness.run(ScriptEvent.HTTP_RESP, tx, exchange.respond(200, harness.backup));
    assertThat(ScriptHarness.logged(exchange)).containsExactly("10.1.0.1", "10.1.0.1 9090");
    assertThat(harness.failures).isEmpty();
  }
}
