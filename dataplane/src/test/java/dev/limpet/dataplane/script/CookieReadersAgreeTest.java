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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A DataScript ({@code avi.http.get_cookie}) and a persistence profile (application cookie) read
 * the same odd {@code Cookie} header the same way: they share one codec. The profile is asked which
 * value it found by pinning every value any reading could produce to a server named after it.
 */
@Timeout(10)
class CookieReadersAgreeTest {
  /** Every value some reader of the cases below could see (trimmed, quoted, unquoted, joined). */
  private static final List<String> READINGS =
      List.of("1", "2", "3", "x", "\"q\"", "q", "\"q", "a b", " 2", "2 ", " 2 ", "1, b=2", "", "v");

  @ParameterizedTest(name = "[{0}] {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NIL",
      value = {
        "s=1; s=2          | s | 1",
        "s=1;s=2           | s | 1",
        "t=1;s=2           | s | 2",
        "s=\"q\"           | s | q",
        "s=\"q             | s | NIL",
        "s=a b             | s | a b",
        "=x; s=3           | s | 3",
        "=; s=3            | s | 3",
        "noequals; s=3     | s | 3",
        "s = 2             | s | ' 2'",
        "'s= 2'            | s | ' 2'",
        "t=1, s=2          | s | NIL",
        "s=1, b=2          | s | '1, b=2'",
        "s=; s=v           | s | ''",
      })
  void aScriptAndAProfileReadTheSameCookie(String header, String name, String expected) {
    assertThat(scriptReads(header, name)).as("the script").isEqualTo(expected);
    assertThat(profileReads(header, name)).as("the profile").isEqualTo(pinOf(expected));
  }

  private static String scriptReads(String header, String name) {
    List<String> logged =
        new ScriptHarness()
            .logs(
                "local v = avi.http.get_cookie('"
                    + name
                    + "')\n"
                    + "avi.vs.log(v == nil and '<nil>' or '[' .. v .. ']')",
                new FakeExchange("/").header("Cookie", header));
    String line = logged.get(0);
    return line.equals("<nil>") ? null : line.substring(1, line.length() - 1);
  }

  /** The server the application-cookie profile pins the request to: that of the value it read. */
  private static String profileReads(String header, String name) {
    var registry = new TableRegistry(100, System::currentTimeMillis);
    var config =
        new PersistenceProfileConfig("app", Type.AppCookie, null, new AppCookie(name, null));
    PoolConfig pool = new PoolConfig("web", null, null, null, "app", 0, 0);
    Persistence profile =
        PersistenceFactory.create(
            config, pool, registry, CookieKeySet.random(), System::currentTimeMillis);
    var table = registry.table(TableRegistry.profileTableName("app", "web"));
    for (String reading : READINGS) table.put(reading, pinOf(reading), Long.MAX_VALUE);
    var head = new FakeExchange("/").header("Cookie", header).request;
    return profile.pinnedServer(new ClientRequest(new InetSocketAddress("192.0.2.1", 1), head));
  }

  private static String pinOf(String reading) {
    return reading == null ? null : "server-for[" + reading + "]";
  }
}
