package dev.limpet.dataplane.script;

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

/**
 * What a DataScript and the application-cookie profile each read from one request, for the tests
 * that hold the two agree. The profile is asked which value it found by pinning every value any
 * reading could produce to a server named after it ({@link #pinOf}).
 */
final class TwoReaders {
  private TwoReaders() {}

  /** What {@code expression} (a Lua expression) gives in HTTP_REQ: its value, or null for nil. */
  static String scriptReads(String expression, FakeExchange exchange) {
    List<String> logged =
        new ScriptHarness()
            .logs(
                "local v = " + expression + "\navi.vs.log(v == nil and '<nil>' or '[' .. v .. ']')",
                exchange);
    String line = logged.get(0);
    return line.equals("<nil>") ? null : line.substring(1, line.length() - 1);
  }

  /**
   * The server an application-cookie profile for cookie (and URI parameter) {@code name} pins
   * {@code exchange}'s request to, each of {@code readings} being pinned to its {@link #pinOf}.
   */
  static String profileReads(String name, List<String> readings, FakeExchange exchange) {
    var registry = new TableRegistry(100, System::currentTimeMillis);
    var config =
        new PersistenceProfileConfig("app", Type.AppCookie, null, new AppCookie(name, null));
    PoolConfig pool = new PoolConfig("web", null, null, null, "app", 0, 0);
    Persistence profile =
        PersistenceFactory.create(
            config, pool, registry, CookieKeySet.random(), System::currentTimeMillis);
    var table = registry.table(TableRegistry.profileTableName("app", "web"));
    for (String reading : readings) table.put(reading, pinOf(reading), Long.MAX_VALUE);
    return profile.pinnedServer(
        new ClientRequest(new InetSocketAddress("192.0.2.1", 1), exchange.request));
  }

  /** The server a reading is pinned to; null for none. */
  static String pinOf(String reading) {
    return reading == null ? null : "server-for[" + reading + "]";
  }
}
