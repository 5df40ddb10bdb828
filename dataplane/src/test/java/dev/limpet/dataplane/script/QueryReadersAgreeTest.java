package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.PersistenceProfileConfig;
import dev.limpet.contract.PersistenceProfileConfig.AppCookie;
import dev.limpet.contract.PersistenceProfileConfig.Type;
import dev.limpet.contract.PoolConfig;
import dev.limpet.dataplane.http.ClientRequest;
import dev.limpet.dataplane.persistence.CookieKeySet;
import dev.limpet.dataplane.persistence.Persistence;
import dev.limpet.dataplane.persistence.PersistenceFactory;
import dev.limpet.dataplane.persistence.TableRegistry;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A DataScript ({@code avi.http.get_query}) and a persistence profile (an application cookie's
 * session id in the URI) read the same odd query the same way: they share one query reader. The
 * profile is asked which value it found by pinning every value any reading could produce to a
 * server named after it.
 */
@Timeout(10)
class QueryReadersAgreeTest {
  /** Every value some reader of the cases below could see. */
  private static final List<String> READINGS =
      List.of("1", "2", "a b", "a+b", "A", "%41", "1;t=2", "", "€", "%E2%82%AC", "x=y");

  @ParameterizedTest(name = "[{0}] {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NIL",
      value = {
        "/?s=1&s=2          | 1",
        "/?t=1&&s=2         | 2",
        "/?s=a+b            | a b",
        "/?s=%41            | A",
        "/?s=%E2%82%AC      | €",
        "/?s=1;t=2          | 1;t=2",
        "/?s=x=y            | x=y",
        "/?t=s              | NIL",
        "/p?                | NIL",
      })
  void aScriptAndAProfileReadTheSameParameter(String uri, String expected) {
    assertThat(scriptReads(uri)).as("the script").isEqualTo(expected);
    assertThat(profileReads(uri)).as("the profile").isEqualTo(pinOf(expected));
  }

  @Test
  void aMalformedEscapeFailsTheScriptVisiblyAndGivesTheProfileNoSessionId() {
    var harness = new ScriptHarness();
    harness.request("avi.vs.log(avi.http.get_query('s'))");
    harness.request(new FakeExchange("/?s=%zz"));
    assertThat(harness.failure()).contains("the request's query cannot be decoded");
    assertThat(profileReads("/?s=%zz")).isNull();
  }

  private static String scriptReads(String uri) {
    List<String> logged =
        new ScriptHarness()
            .logs(
                "local v = avi.http.get_query('s')\n"
                    + "avi.vs.log(v == nil and '<nil>' or '[' .. v .. ']')",
                new FakeExchange(uri));
    String line = logged.get(0);
    return line.equals("<nil>") ? null : line.substring(1, line.length() - 1);
  }

  /** The server the application-cookie profile pins the request to: that of the value it read. */
  private static String profileReads(String uri) {
    var registry = new TableRegistry(100, System::currentTimeMillis);
    var config =
        new PersistenceProfileConfig("app", Type.AppCookie, null, new AppCookie("s", null));
    PoolConfig pool = new PoolConfig("web", null, null, null, "app", 0, 0);
    Persistence profile =
        PersistenceFactory.create(
            config, pool, registry, CookieKeySet.random(), System::currentTimeMillis);
    var table = registry.table(TableRegistry.profileTableName("app", "web"));
    for (String reading : READINGS) table.put(reading, pinOf(reading), Long.MAX_VALUE);
    var head = new FakeExchange(uri).request;
    return profile.pinnedServer(new ClientRequest(new InetSocketAddress("192.0.2.1", 1), head));
  }

  private static String pinOf(String reading) {
    return reading == null ? null : "server-for[" + reading + "]";
  }
}
