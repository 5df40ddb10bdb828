package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.script.ScriptResult.Failed;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runaway scripts end their own run only, and no script can catch that. */
@Timeout(60)
class ScriptLimitsTest {

  private static ScriptFailure failureOf(ScriptHarness h, String source) {
    h.request(source);
    ScriptResult result = h.request(new FakeExchange("/"));
    assertThat(result.action()).isInstanceOf(Failed.class);
    return ((Failed) result.action()).failure();
  }

  private static ScriptFailure failureOf(String source) {
    return failureOf(new ScriptHarness(), source);
  }

  @Test
  void anInfiniteLoopUsesUpTheInstructionBudgetEvenUnderPcall() {
    ScriptFailure f =
        failureOf("local ok = pcall(function()\n  while true do end\nend)\navi.vs.log('escaped')");
    assertThat(f.reason()).isEqualTo("instructions");
    assertThat(f.message()).isEqualTo("instruction budget of 1000000 exceeded");
    assertThat(f.line()).isEqualTo(2);
    assertThat(f.luaStack()).contains("s0/httpRequest:2: in function <line 1>");
  }

  @Test
  void theBudgetIsConfigurableAndCountsEachRunAfresh() {
    var limits = ScriptLimits.DEFAULT.withInstructions(5_000);
    var h = new ScriptHarness().limits(limits);
    h.request("for i = 1, 1000 do end");
    for (int i = 0; i < 5; i++) h.request(new FakeExchange("/"));
    assertThat(h.failures).isEmpty();
    var over = new ScriptHarness().limits(limits);
    assertThat(failureOf(over, "for i = 1, 10000 do end").reason()).isEqualTo("instructions");
  }

  @Test
  void theWallClockCapStopsAScriptTheBudgetWouldAllow() {
    var limits = new ScriptLimits(Long.MAX_VALUE, Duration.ofMillis(50), 200, Long.MAX_VALUE);
    var h = new ScriptHarness().limits(limits);
    ScriptFailure f = failureOf(h, "while true do local s = ('x'):rep(100) end");
    assertThat(f.reason()).isEqualTo("wall_clock");
  }

  @Test
  void deepRecursionIsCaughtAtTheCallDepthLimitEvenUnderPcall() {
    ScriptFailure f =
        failureOf(
            """
            local function down(n) return 1 + down(n + 1) end
            pcall(down, 1)
            avi.vs.log('escaped')
            """);
    assertThat(f.reason()).isEqualTo("call_depth");
    assertThat(f.message()).isEqualTo("call depth exceeds 200");
    assertThat(f.luaStack()).contains("in function <line 1>").contains("\n\t...");
  }

  @Test
  void aDeeplyRecursivePatternEndsOnlyThatRunEvenOnASmallStack() throws Exception {
    var h = new ScriptHarness();
    // LuaJ's pattern matcher recursed once per pattern item until the Java stack overflowed; the
    // budgeted one stops at Lua's own depth limit
    h.script(
        "deep",
        "local s = string.rep('a', 50000)\nstring.find(s, string.rep('a?', 50000))",
        null,
        null);
    var after = new ScriptHarness();
    after.request("avi.vs.log('fine')");
    List<ScriptResult> results = new java.util.ArrayList<>();
    var exchange = new FakeExchange("/");
    Thread small =
        new Thread(
            null,
            () -> {
              results.add(h.request(new FakeExchange("/")));
              results.add(after.request(exchange));
            },
            "small-stack",
            256 * 1024);
    small.start();
    small.join();
    assertThat(results).hasSize(2);
    assertThat(results.get(0).action()).isInstanceOf(Failed.class);
    assertThat(h.failures.get(0).reason()).isEqualTo("error");
    assertThat(h.failures.get(0).message()).endsWith("pattern too complex");
    assertThat(h.failures.get(0).line()).isEqualTo(2);
    assertThat(ScriptHarness.logged(exchange)).containsExactly("fine");
  }

  @Test
  void memoryBombsAreStoppedBeforeTheyAllocate() {
    for (String bomb :
        List.of(
            "local s = string.rep('x', 2^30)",
            "local s = ('x'):rep(1e9, ',')",
            "local s = 'x' for i = 1, 40 do s = s .. s end",
            "local s = string.rep('x', 2^21) local t = s .. s .. s",
            "local s = string.rep('x', 2^20) local t = {} for i = 1, 8 do t[i] = s end"
                + " local u = table.concat(t)",
            "local s = string.rep('x', 2^20) local u = string.format('%s%s%s%s%s', s, s, s, s, s)",
            "local s = string.rep('x', 2^12) local u = string.gsub(s, '', s)",
            "local s = string.rep('x', 2^12) local u = string.gsub(s, 'x', {x = s})",
            "local s = string.rep('x', 2^12) local u = string.gsub(s, 'x', function() return s end)",
            "pcall(string.rep, 'x', 2^30) avi.vs.log('escaped')")) {
      ScriptFailure f = failureOf(bomb);
      assertThat(f.reason()).as(bomb).isEqualTo("memory");
      assertThat(f.line()).as(bomb).isEqualTo(1);
    }
  }

  @Test
  void tableGrowthIsStoppedByTheAllocationLimit() {
    ScriptFailure f = failureOf("local t = {}\nwhile true do t[#t + 1] = {} end");
    assertThat(f.reason()).isIn("memory", "instructions", "wall_clock");
    var small = new ScriptLimits(Long.MAX_VALUE, Duration.ofSeconds(30), 200, 8L << 20);
    ScriptFailure g =
        failureOf(
            new ScriptHarness().limits(small), "local t = {}\nwhile true do t[#t + 1] = {} end");
    assertThat(g.reason()).isEqualTo("memory");
    assertThat(g.line()).isEqualTo(2);
  }

  @Test
  void anAbortEndsOnlyItsOwnRunAndTheThreadRunsTheNextScriptNormally() {
    var h = new ScriptHarness();
    h.script("bad", "while true do end", null, null);
    var good = new ScriptHarness();
    good.request("avi.vs.log('fine')");
    var exchange = new FakeExchange("/");
    assertThat(h.request(exchange).action()).isInstanceOf(Failed.class);
    var next = new FakeExchange("/");
    assertThat(good.request(next).action()).isInstanceOf(ScriptResult.Proceed.class);
    assertThat(ScriptHarness.logged(next)).containsExactly("fine");
  }

  @Test
  void runawayScriptsOnSomeThreadsLeaveRequestsOnOtherThreadsUnaffected() throws Exception {
    var bad = new ScriptHarness();
    bad.request("local s = 'x' while true do s = s .. 'x' end");
    var good = new ScriptHarness();
    good.request("local n = 0 for i = 1, 100 do n = n + i end avi.vs.log(n)");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> results = new java.util.ArrayList<>();
      for (int i = 0; i < 40; i++) {
        boolean runaway = i % 4 == 0;
        results.add(
            pool.submit(
                () -> {
                  var exchange = new FakeExchange("/");
                  (runaway ? bad : good).request(exchange);
                  return ScriptHarness.logged(exchange);
                }));
      }
      for (int i = 0; i < results.size(); i++)
        assertThat(results.get(i).get()).isEqualTo(i % 4 == 0 ? List.of() : List.of("5050"));
    } finally {
      pool.shutdownNow();
    }
    assertThat(bad.failures).hasSize(10);
    assertThat(good.failures).isEmpty();
  }
}
