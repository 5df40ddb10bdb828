package dev.limpet.dataplane.script;

import dev.limpet.contract.DataScriptConfig;
import dev.limpet.contract.DataScriptConfig.Events;
import dev.limpet.contract.DataScriptConfig.IpGroup;
import dev.limpet.contract.DataScriptConfig.PoolRef;
import dev.limpet.contract.DataScriptConfig.StringGroup;
import dev.limpet.contract.ServerConfig;
import dev.limpet.dataplane.upstream.Server;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A virtual service "web" with pools {@code primary-pool} (script name {@code primary_pool}) and
 * {@code backup}, in-memory tables and recorded metrics: what the binder tests run scripts in.
 */
final class ScriptHarness {
  final MapScriptTables tables = new MapScriptTables();
  final Map<String, List<Server>> pools = new HashMap<>();
  final List<ScriptFailure> failures = new CopyOnWriteArrayList<>();
  final List<String> serversNotUsed = new CopyOnWriteArrayList<>();
  final Server a = server("a", "10.0.0.1", 8080, false);
  final Server b = server("b", "10.0.0.2", 8080, false);
  final Server draining = server("c", "10.0.0.3", 8080, true);
  final Server backup = server("backup-1", "10.1.0.1", 9090, false);
  final List<IpGroup> ipGroups = new ArrayList<>();
  final List<StringGroup> stringGroups = new ArrayList<>();
  final List<dev.limpet.contract.DataScriptConfig.RateLimiter> rateLimiters = new ArrayList<>();

  /** The crypto keys the next scripts declare, and their bytes (as the Secret would hold). */
  final List<DataScriptConfig.CryptoKey> cryptoKeys = new ArrayList<>();

  final Map<String, byte[]> cryptoKeyBytes = new HashMap<>();

  /** Pools the next scripts may name besides {@code primary_pool} and {@code backup}. */
  final List<PoolRef> morePools = new ArrayList<>();

  private final List<CompiledDataScript> scripts = new ArrayList<>();
  private ScriptLimits limits = ScriptLimits.DEFAULT;
  private VirtualServiceScripts built;

  ScriptHarness() {
    pools.put("primary-pool", List.of(a, b, draining));
    pools.put("backup", List.of(backup));
  }

  static Server server(String name, String ip, int port, boolean draining) {
    return new Server(
        new ServerConfig(name, ip, port, 0, null, draining, null),
        0,
        300_000,
        System::currentTimeMillis);
  }

  ScriptHarness limits(ScriptLimits limits) {
    this.limits = limits;
    return this;
  }

  ScriptHarness script(String name, String request, String response, String failed) {
    scripts.add(
        CompiledDataScript.compile(
            new DataScriptConfig(
                name,
                new Events(request, response, failed),
                poolRefs(),
                ipGroups,
                stringGroups,
                rateLimiters,
                cryptoKeys),
            cryptoKeyBytes));
    return this;
  }

  private List<PoolRef> poolRefs() {
    List<PoolRef> refs = new ArrayList<>(morePools);
    refs.add(new PoolRef("primary-pool", "primary_pool"));
    refs.add(new PoolRef("backup", null));
    return refs;
  }

  /** A script whose HTTP_REQ code is {@code chunk}, e.g. one that throws what Lua never would. */
  ScriptHarness chunk(String name, ScriptChunk chunk) {
    scripts.add(
        new CompiledDataScript(
            name,
            java.util.Map.of(ScriptEvent.HTTP_REQ, chunk),
            java.util.Map.of(),
            java.util.Map.of(),
            java.util.Map.of(),
            List.of()));
    return this;
  }

  ScriptHarness request(String source) {
    return script("s" + scripts.size(), source, null, null);
  }

  VirtualServiceScripts scripts() {
    if (built == null) {
      ScriptMetrics metrics =
          new ScriptMetrics() {
            @Override
            public void failed(ScriptFailure failure) {
              failures.add(failure);
            }

            @Override
            public void selectionFallback(
                String vs, String script, String pool, SelectionFallback reason) {
              serversNotUsed.add(vs + "/" + script + "/" + pool + "/" + reason.tag());
            }
          };
      built =
          new DataScriptEngine(limits, metrics)
              .virtualService(
                  "web",
                  "primary-pool",
                  scripts,
                  tables,
                  pool -> pools.getOrDefault(pool, List.of()));
    }
    return built;
  }

  ScriptResult run(ScriptEvent event, ScriptTransaction tx, FakeExchange exchange) {
    return scripts().run(event, tx, exchange);
  }

  /** Runs HTTP_REQ in a new transaction. */
  ScriptResult request(FakeExchange exchange) {
    return run(ScriptEvent.HTTP_REQ, new ScriptTransaction(), exchange);
  }

  /** The message of the only failure so far. */
  String failure() {
    if (failures.size() != 1) throw new AssertionError("expected one failure, got " + failures);
    return failures.get(0).message();
  }

  /** What the scripts logged, without the {@code [script:line]} prefix. */
  static List<String> logged(FakeExchange exchange) {
    return exchange.logLines.stream().map(l -> l.substring(l.indexOf("] ") + 2)).toList();
  }

  /** Runs {@code source} as HTTP_REQ, expects no failure, returns what it logged. */
  List<String> logs(String source, FakeExchange exchange) {
    request(source);
    ScriptResult result = request(exchange);
    if (!failures.isEmpty()) throw new AssertionError("script failed: " + failures);
    if (result.action() instanceof ScriptResult.Failed f) throw new AssertionError(f.toString());
    return logged(exchange);
  }

  /** Runs {@code source} as HTTP_REQ on a plain request, expects no failure, returns its log. */
  static List<String> logsOf(String source) {
    return new ScriptHarness().logs(source, new FakeExchange("/"));
  }

  /** Runs {@code source} as HTTP_REQ on a plain request, returns the message of its failure. */
  static String failureOf(String source) {
    var h = new ScriptHarness();
    h.request(source);
    h.request(new FakeExchange("/"));
    return h.failure();
  }
}
