package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class AviVsBinderTest {
  private final ScriptHarness harness = new ScriptHarness();
  private final FakeExchange exchange = new FakeExchange("/");

  private List<String> logs(String source) {
    return harness.logs(source, exchange);
  }

  @Test
  void namesTheVirtualServiceItsAddressAndTheClientPortsAsStrings() {
    assertThat(
            logs(
                "avi.vs.log(avi.vs.name(), avi.vs.ip(), avi.vs.port(), type(avi.vs.port()),"
                    + " avi.vs.client_ip(), avi.vs.client_port(), type(avi.vs.client_port()))"))
        .containsExactly("web 127.0.0.1 8080 string 192.0.2.7 51234 string");
  }

  @Test
  void logPrefixesScriptAndLineAndAcceptsStringsNumbersBooleansAndNil() {
    harness.request("\n\navi.vs.log('x', 1, 2.5, true, nil)");
    harness.request(exchange);
    assertThat(exchange.logLines).containsExactly("[s0:3] x 1 2.5 true nil");
  }

  @Test
  void logRefusesATable() {
    harness.request("avi.vs.log({})");
    assertThat(harness.request(exchange).action()).isInstanceOf(ScriptResult.Failed.class);
    assertThat(harness.failure())
        .contains(
            "bad argument #1 to 'avi.vs.log' (string, number or boolean expected, got table)");
  }

  @Test
  void reqvarIsSharedBetweenEventsAndScriptsOfOneTransactionOnly() {
    harness.script("first", "avi.vs.reqvar.user = avi.http.get_header('X-User')", null, null);
    harness.script("second", null, "avi.vs.log(avi.vs.reqvar.user)", null);
    var tx = new ScriptTransaction();
    harness.run(ScriptEvent.HTTP_REQ, tx, exchange.header("X-User", "ann"));
    harness.run(ScriptEvent.HTTP_RESP, tx, exchange.respond(200, harness.a));
    var other = new FakeExchange("/").respond(200, harness.a);
    harness.run(ScriptEvent.HTTP_RESP, new ScriptTransaction(), other);
    assertThat(ScriptHarness.logged(exchange)).containsExactly("ann");
    assertThat(ScriptHarness.logged(other)).containsExactly("nil");
  }

  @Test
  void insertStoresWithDefaultLifetimeAndLookupReturnsValueAndRemainingSeconds() {
    assertThat(
            logs(
                "avi.vs.log(avi.vs.table_insert('k', 'v'))\n"
                    + "avi.vs.log(avi.vs.table_lookup('k', 0))"))
        .containsExactly("true", "v 300");
  }

  @Test
  void insertDoesNotOverwriteButExtendsToTheLaterExpiry() {
    logs(
        "avi.vs.table_insert('k', 'first', 100)\n"
            + "avi.vs.table_insert('k', 'second', 500)\n"
            + "avi.vs.table_insert('k', 'third', 10)\n"
            + "avi.vs.log(avi.vs.table_lookup('k', 0))");
    assertThat(ScriptHarness.logged(exchange)).containsExactly("first 500");
  }

  @Test
  void insertConvertsNumbersAndBooleansAndRefusesTablesFunctionsAndNilValues() {
    logs("avi.vs.table_insert(42, true)\navi.vs.log(avi.vs.table_lookup('42'))");
    assertThat(ScriptHarness.logged(exchange)).containsExactly("true 300");
    for (String bad : List.of("{}", "print or function() end", "nil")) {
      var h = new ScriptHarness();
      h.request("avi.vs.table_insert('k', " + bad + ")");
      h.request(new FakeExchange("/"));
      assertThat(h.failures).hasSize(1);
      assertThat(h.failure()).contains("avi.vs.table_insert");
    }
  }

  @Test
  void insertReturnsFalseWhenTheTableIsFull() {
    harness.tables.full = true;
    assertThat(logs("avi.vs.log(avi.vs.table_insert('k', 'v'))")).containsExactly("false");
  }

  @Test
  void insertArgumentForms() {
    logs(
        """
        avi.vs.table_insert('k2', 'v', 60)        -- (key, value, lifetime)
        avi.vs.table_insert('k3', 'v', '120')     -- numeric string lifetime
        avi.vs.table_insert('named', 'k4', 'v')   -- (table, key, value)
        avi.vs.table_insert('named', 'k5', 'v', '30')
        """);
    var defaults = harness.tables.table("");
    long now = harness.tables.nowMillis.get();
    assertThat(defaults.entries.get("k2").expiresMillis()).isEqualTo(now + 60_000);
    assertThat(defaults.entries.get("k3").expiresMillis()).isEqualTo(now + 120_000);
    var named = harness.tables.table("named");
    assertThat(named.entries.get("k4").expiresMillis()).isEqualTo(now + 300_000);
    assertThat(named.entries.get("k5").expiresMillis()).isEqualTo(now + 30_000);
    assertThat(defaults.entries).doesNotContainKeys("named", "k4", "k5");
  }

  @Test
  void twoArgumentLookupIsKeyAndExtendForANumberOrNumericStringElseTableAndKey() {
    logs(
        """
        avi.vs.table_insert('k', 'in-default', 10)
        avi.vs.table_insert('t', 'k', 'in-t', 10)
        avi.vs.log(avi.vs.table_lookup('k', 100))
        avi.vs.log(avi.vs.table_lookup('k', '200'))
        avi.vs.log(avi.vs.table_lookup('t', 'k'))
        avi.vs.log(avi.vs.table_lookup('t', 'k', 0))
        avi.vs.log(avi.vs.table_lookup('missing'))
        """);
    assertThat(ScriptHarness.logged(exchange))
        .containsExactly("in-default 100", "in-default 200", "in-t 300", "in-t 300", "nil");
  }

  @Test
  void lookupWithZeroReadsWithoutExtending() {
    logs("avi.vs.table_insert('k', 'v', 10)\navi.vs.log(avi.vs.table_lookup('k', 0))");
    assertThat(ScriptHarness.logged(exchange)).containsExactly("v 10");
  }

  @Test
  void refreshExtendsAndTellsWhetherTheKeyExisted() {
    logs(
        """
        avi.vs.table_insert('k', 'v', 10)
        avi.vs.log(avi.vs.table_refresh('k', '50'), avi.vs.table_refresh('nope'))
        avi.vs.log(avi.vs.table_lookup('k', 0))
        avi.vs.table_insert('t', 'k', 'v', 10)
        avi.vs.log(avi.vs.table_refresh('t', 'k'), avi.vs.table_refresh('t', 'k', 20))
        """);
    assertThat(ScriptHarness.logged(exchange)).containsExactly("true false", "v 50", "true true");
    long now = harness.tables.nowMillis.get();
    assertThat(harness.tables.table("t").entries.get("k").expiresMillis()).isEqualTo(now + 300_000);
  }

  @Test
  void removeTakesAKeyOrATableAndKey() {
    logs(
        """
        avi.vs.table_insert('k', 'v')
        avi.vs.table_insert('t', 'k', 'v')
        avi.vs.table_remove('k')
        avi.vs.log(avi.vs.table_lookup('k'), avi.vs.table_lookup('t', 'k'))
        avi.vs.table_remove('t', 'k')
        avi.vs.log(avi.vs.table_lookup('t', 'k'))
        """);
    assertThat(ScriptHarness.logged(exchange)).containsExactly("nil v 300", "nil");
  }

  @Test
  void expiredEntriesAreGone() {
    logs("avi.vs.table_insert('k', 'v', 5)");
    harness.tables.nowMillis.addAndGet(5_000);
    var next = new FakeExchange("/");
    harness.request(next);
    // the same script inserts again: absent, so stored anew
    assertThat(harness.tables.table("").entries.get("k").expiresMillis())
        .isEqualTo(harness.tables.nowMillis.get() + 5_000);
  }

  @Test
  void badLifetimesAreArgumentErrorsAtTheCallingLine() {
    for (String call :
        List.of(
            "avi.vs.table_insert('k', 'v', 0)",
            "avi.vs.table_insert('k', 'v', 1.5)",
            "avi.vs.table_insert('t', 'k', 'v', 'soon')",
            "avi.vs.table_lookup('k', -1)",
            "avi.vs.table_lookup('', 'k')")) {
      var h = new ScriptHarness();
      h.request("local x = 1\n" + call);
      h.request(new FakeExchange("/"));
      assertThat(h.failures).as(call).hasSize(1);
      assertThat(h.failures.get(0).line()).as(call).isEqualTo(2);
      assertThat(h.failure()).as(call).startsWith("s0/httpRequest:2: bad argument #");
    }
  }

  @Test
  void persistPinsAKeyToTheServerThatAnsweredItsFirstRequest() {
    harness.request("avi.vs.persist(avi.http.get_cookie('sid'))");
    var first = new ScriptTransaction();
    var withCookie = new FakeExchange("/").header("Cookie", "sid=abc");
    assertThat(harness.run(ScriptEvent.HTTP_REQ, first, withCookie).selection()).isNull();
    first.serverResponded("primary-pool", harness.b.key()); // balancing gave it b
    var stored = harness.tables.table(AviVsBinder.persistTable("primary-pool")).entries.get("abc");
    long now = harness.tables.nowMillis.get();
    assertThat(stored.value()).isEqualTo("10.0.0.2:8080");
    assertThat(stored.expiresMillis()).isEqualTo(now + 300_000); // default lifetime

    var again = new FakeExchange("/").header("Cookie", "sid=abc");
    assertThat(harness.request(again).selection())
        .isEqualTo(new PoolSelection("primary-pool", harness.b));
    var otherKey = new FakeExchange("/").header("Cookie", "sid=xyz");
    assertThat(harness.request(otherKey).selection()).isNull();
  }

  @Test
  void persistWithALifetimeAndAPoolPinsInThatPoolOnly() {
    harness.request("avi.vs.persist('k', 60, 'backup')");
    var tx = new ScriptTransaction();
    assertThat(harness.run(ScriptEvent.HTTP_REQ, tx, new FakeExchange("/")).selection())
        .isEqualTo(new PoolSelection("backup", null));
    tx.serverResponded("primary-pool", harness.a.key()); // another pool answered: not pinned
    assertThat(harness.tables.table(AviVsBinder.persistTable("backup")).entries).isEmpty();
    var tx2 = new ScriptTransaction();
    harness.run(ScriptEvent.HTTP_REQ, tx2, new FakeExchange("/"));
    tx2.serverResponded("backup", harness.backup.key());
    long now = harness.tables.nowMillis.get();
    assertThat(harness.tables.table(AviVsBinder.persistTable("backup")).entries.get("k"))
        .extracting(e -> e.value(), e -> e.expiresMillis())
        .containsExactly("10.1.0.1:9090", now + 60_000);
    assertThat(harness.request(new FakeExchange("/")).selection())
        .isEqualTo(new PoolSelection("backup", harness.backup));
  }

  @Test
  void aKeyPinnedToAServerThatIsDownIsBalancedAndPinnedAnew() {
    harness.request("avi.vs.persist('k')");
    var tx = new ScriptTransaction();
    harness.run(ScriptEvent.HTTP_REQ, tx, new FakeExchange("/"));
    tx.serverResponded("primary-pool", harness.a.key());
    harness.a.setHealthy(false);
    var tx2 = new ScriptTransaction();
    assertThat(harness.run(ScriptEvent.HTTP_REQ, tx2, new FakeExchange("/")).selection()).isNull();
    tx2.serverResponded("primary-pool", harness.b.key());
    assertThat(harness.request(new FakeExchange("/")).selection().server()).isSameAs(harness.b);
    assertThat(harness.failures).isEmpty();
  }
}
