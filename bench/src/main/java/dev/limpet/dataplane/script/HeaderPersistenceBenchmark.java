package dev.limpet.dataplane.script;

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
 * One request/response transaction of the header-persistence script (HTTP_REQ lookup and select,
 * HTTP_RESP insert) through the real runtime, with LuaJ's interpreter or luajc's bytecode. 1,000
 * clients rotate, so after the first round every lookup hits.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HeaderPersistenceBenchmark {
  private static final int CLIENTS = 1_000;

  @Param({"interpreter", "luajc"})
  public String mode;

  private final BenchFixture fixture = new BenchFixture();
  private final String[] clients = new String[CLIENTS];
  private VirtualServiceScripts scripts;
  private int next;

  @Setup
  public void setUp() throws Exception {
    CompiledDataScript script =
        mode.equals("luajc")
            ? LuajcChunks.compile(BenchFixture.HEADER_PERSISTENCE)
            : CompiledDataScript.compile(BenchFixture.HEADER_PERSISTENCE);
    scripts = fixture.scripts(script, ScriptLimits.DEFAULT);
    for (int i = 0; i < CLIENTS; i++) clients[i] = "198.51." + (i / 256) + "." + (i % 256);
  }

  @Benchmark
  public ScriptResult transaction() {
    var exchange = new BenchFixture.Exchange(clients[next++ % CLIENTS]);
    var transaction = new ScriptTransaction();
    ScriptResult request = scripts.run(ScriptEvent.HTTP_REQ, transaction, exchange);
    exchange.respond(request.selection() != null ? request.selection().server() : fixture.a);
    return scripts.run(ScriptEvent.HTTP_RESP, transaction, exchange);
  }
}
