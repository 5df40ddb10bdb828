package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.limpet.dataplane.script.ScriptResult.Failed;
import dev.limpet.dataplane.script.ScriptResult.Proceed;
import dev.limpet.dataplane.upstream.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

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
  void aStaleDownOrDrainingServerIsBalancedInThePoolCountedByReasonNeverA500() {
    var cases =
        java.util.Map.of(
            "'10.9.9.9'", "not_member",
            "'10.0.0.2'", "down",
            "'c'", "draining",
            "'10.9.9.9', 8080", "not_member",
            "'10.0.0.2', 8080", "down");
    cases.forEach(
        (server, reason) -> {
          var h = new ScriptHarness();
          h.b.setHealthy(false);
          h.request("avi.pool.select('primary_pool', " + server + ")");
          ScriptResult result = h.request(new FakeExchange("/"));
          assertThat(result.action()).as(server).isInstanceOf(Proceed.class);
          assertThat(result.selection())
              .as(server)
              .isEqualTo(new PoolSelection("primary-pool", null));
          assertThat(h.serversNotUsed).as(server).containsExactly("web/s0/primary-pool/" + reason);
          assertThat(h.failures).isEmpty();
        });
  }

  @Test
  void aPortThatIsNoneOfTheMembersPortsIsIgnoredAndCountedAsAviDoes() {
    for (String port : new String[] {"1234", "'1234'", "86400", "0", "-5", "1.5"}) {
      var h = new ScriptHarness();
      h.request("avi.pool.select('primary_pool', '10.0.0.1', " + port + ")");
      ScriptResult result = h.request(new FakeExchange("/"));
      assertThat(result.selection()).as(port).isEqualTo(new PoolSelection("primary-pool", h.a));
      assertThat(h.serversNotUsed).as(port).containsExactly("web/s0/primary-pool/port_ignored");
    }
  }

  @Test
  void aMemberPortChoosesAmongMembersThatShareAnIp() {
    Server otherPort = ScriptHarness.server("a2", "10.0.0.1", 9000, false);
    harness.pools.put("primary-pool", java.util.List.of(harness.a, otherPort));
    assertThat(select("avi.pool.select('primary_pool', '10.0.0.1', 9000)").selection().server())
        .isSameAs(otherPort);
    assertThat(harness.serversNotUsed).isEmpty();
  }

  @Test
  void aDownMemberOnTheNamedPortIsNotReplacedByTheSameIpOnAnotherPort() {
    Server otherPort = ScriptHarness.server("a2", "10.0.0.1", 9000, false);
    harness.pools.put("primary-pool", java.util.List.of(harness.a, otherPort));
    otherPort.setHealthy(false);
    assertThat(select("avi.pool.select('primary_pool', '10.0.0.1', 9000)").selection().server())
        .isNull();
    assertThat(harness.serversNotUsed).containsExactly("web/s0/primary-pool/down");
  }

  /**
   * Avi's documented custom persistence (DataScript guide, "Custom Persistence with DataScript"),
   * verbatim but for the pool name: {@code table_lookup} returns the value and the remaining
   * lifetime, so {@code select} receives the lifetime as its port.
   */
  @Test
  void avisJsessionidIdiomPinsThoughTheLifetimeArrivesAsThePort() {
    harness.script(
        "avi",
        """
        if avi.http.get_cookie("JSESSIONID") then
          avi.pool.select("primary_pool", avi.vs.table_lookup(avi.http.get_cookie("JSESSIONID")))
        end
        """,
        """
        if avi.http.get_cookie("JSESSIONID") then
          avi.vs.table_insert(avi.http.get_cookie("JSESSIONID"), avi.pool.server_ip(), 1200)
        end
        """,
        null);
    var learn = new ScriptTransaction();
    var login = new FakeExchange("/login");
    harness.run(ScriptEvent.HTTP_REQ, learn, login);
    login.respond(200, harness.b).responseHeader("Set-Cookie", "JSESSIONID=abc; Path=/");
    harness.run(ScriptEvent.HTTP_RESP, learn, login);
    ScriptResult next =
        harness.run(
            ScriptEvent.HTTP_REQ,
            new ScriptTransaction(),
            new FakeExchange("/").header("Cookie", "JSESSIONID=abc"));
    assertThat(next.selection()).isEqualTo(new PoolSelection("primary-pool", harness.b));
    assertThat(harness.failures).isEmpty();
  }

  @Test
  void aBalancingFallbackWarnsOncePerScriptLineAndAnIgnoredPortNever() {
    Logger logger = (Logger) LoggerFactory.getLogger(SelectionReport.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try {
      harness.request(
          """
          avi.pool.select('primary_pool', '10.7.7.7')
          avi.pool.select('primary_pool', '10.7.7.8')
          avi.pool.select('primary_pool', '10.0.0.1', 4321)
          """);
      for (int i = 0; i < 5; i++) harness.request(new FakeExchange("/"));
    } finally {
      logger.detachAppender(logs);
    }
    assertThat(harness.serversNotUsed).hasSize(15);
    assertThat(logs.list)
        .filteredOn(e -> e.getLevel() == Level.WARN)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "s0 line 1: avi.pool.select: server 10.7.7.7 is not a member of the pool; the request"
                + " was balanced in pool primary-pool (logged once per 10 minutes)",
            "s0 line 2: avi.pool.select: server 10.7.7.8 is not a member of the pool; the request"
                + " was balanced in pool primary-pool (logged once per 10 minutes)");
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

  @Test
  void chashSendsEachKeyToOneServerOfThePoolChosenSoFarStableAcrossRequests() {
    var seen = new java.util.HashMap<String, Server>();
    for (int round = 0; round < 2; round++) {
      for (int k = 0; k < 40; k++) {
        var h = new ScriptHarness();
        h.request("avi.pool.chash('user-' .. " + k + ")");
        PoolSelection selection = h.request(new FakeExchange("/")).selection();
        assertThat(selection.pool()).isEqualTo("primary-pool");
        // the harness builds new servers per instance: compare by key
        Server before = seen.putIfAbsent("user-" + k, selection.server());
        if (before != null) assertThat(selection.server().key()).isEqualTo(before.key());
      }
    }
    // the draining server takes no new clients; both others get keys
    assertThat(seen.values()).extracting(Server::key).doesNotContain(harness.draining.key());
    assertThat(seen.values()).extracting(Server::key).contains("10.0.0.1:8080", "10.0.0.2:8080");
  }

  @Test
  void chashHashesInThePoolSelectedBefore() {
    assertThat(select("avi.pool.select('backup')\navi.pool.chash(42)").selection())
        .isEqualTo(new PoolSelection("backup", harness.backup));
  }
}
