package dev.limpet.dataplane.script;

import dev.limpet.contract.DataScriptConfig;
import dev.limpet.contract.DataScriptConfig.Events;
import dev.limpet.contract.DataScriptConfig.PoolRef;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One HTTP_REQ run of a one-line DataScript calling a hot-path function on request data (a 32-hex
 * session cookie, the Host header): {@code avi.utils} hashing and Avi's string additions. {@code
 * baseline} reads the same values and calls nothing, so a function's own cost is its row minus the
 * baseline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AviFunctionBenchmark {
  private static final String READ =
      "local sid = avi.http.get_cookie(\"JSESSIONID\") local host = avi.http.hostname() ";
  private static final Map<String, String> CALLS =
      Map.of(
          "baseline", "",
          "md5_hash", "avi.utils.md5_hash(sid)",
          "sha1_hash", "avi.utils.sha1_hash(sid)",
          "split", "string.split(host, \".\")",
          "contains", "string.contains(host, \"example\")");

  @Param({"baseline", "md5_hash", "sha1_hash", "split", "contains"})
  public String function;

  private final BenchFixture fixture = new BenchFixture();
  private VirtualServiceScripts scripts;

  @Setup
  public void setUp() {
    scripts =
        fixture.scripts(
            CompiledDataScript.compile(
                new DataScriptConfig(
                    function,
                    new Events(READ + CALLS.get(function), null, null),
                    List.of(new PoolRef("primary-pool", "primary_pool")))),
            ScriptLimits.DEFAULT);
  }

  @Benchmark
  public ScriptResult request() {
    var exchange = new BenchFixture.Exchange("192.0.2.1");
    exchange.request().headers().set("Host", "shop.eu.example.com");
    exchange.request().headers().set("Cookie", "JSESSIONID=9f86d081884c7d659a2feaa0c55ad015");
    return scripts.run(ScriptEvent.HTTP_REQ, new ScriptTransaction(), exchange);
  }
}
