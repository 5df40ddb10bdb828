package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.script.ScriptResult.Failed;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Library calls that loop or allocate inside Java, where no instruction hook runs: each one counts
 * against the run's budget or is bounded, so it fails its own run only, within the limits.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LibraryBoundsTest {

  private static ScriptFailure failureOf(ScriptHarness h, String source) {
    h.request(source);
    ScriptResult result = h.request(new FakeExchange("/"));
    assertThat(result.action()).as(source).isInstanceOf(Failed.class);
    return ((Failed) result.action()).failure();
  }

  private static ScriptFailure failureOf(String source) {
    return failureOf(new ScriptHarness(), source);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "local s = string.rep('a', 3000)\nlocal i = string.find(s, '.-.-.-.-.-b')",
        "local s = string.rep('a', 3000)\nlocal m = string.match(s, '.-.-.-.-.-b')",
        "local s = string.rep('a', 3000)\nfor m in string.gmatch(s, '.-.-.-.-.-b') do end",
        "local s = string.rep('a', 3000)\nlocal r = string.gsub(s, '.-.-.-.-.-b', 'x')",
        "local s = string.rep('a', 3000)\nlocal i = s:find('.-.-.-.-.-b')",
        "local s = string.rep('a', 3000)\nlocal i = pcall(string.find, s, '.-.-.-.-.-b')",
        // Avi's string additions search as plain find does: quadratic at worst, so charged too
        "local s, p = string.rep('a', 2^20), string.rep('a', 2^19) .. 'b'\n"
            + "local c = string.contains(s, p)",
        "local s, p = string.rep('a', 2^20), string.rep('a', 2^19) .. 'b'\n"
            + "local t = string.split(s, p)"
      })
  void backtrackingPatternsSpendTheInstructionBudget(String source) {
    // the default budget with a wall clock that a loaded machine cannot reach first
    var limits = new ScriptLimits(1_000_000, Duration.ofSeconds(30), 200, 64L << 20);
    ScriptFailure f = failureOf(new ScriptHarness().limits(limits), source);
    assertThat(f.reason()).isEqualTo("instructions");
    assertThat(f.line()).isEqualTo(2);
  }

  @Test
  void backtrackingPatternsStopAtTheWallClockLimitWhenTheBudgetIsHuge() {
    var limits = new ScriptLimits(Long.MAX_VALUE, Duration.ofMillis(100), 200, Long.MAX_VALUE);
    long start = System.nanoTime();
    ScriptFailure f =
        failureOf(
            new ScriptHarness().limits(limits),
            "local s = string.rep('a', 3000)\nlocal i = string.find(s, '.-.-.-.-.-b')");
    assertThat(f.reason()).isEqualTo("wall_clock");
    // an outcome bound, generous: the matcher checks the clock as the interpreter does
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void patternsStillWorkAsBefore() {
    var h = new ScriptHarness();
    List<String> logged =
        h.logs(
            """
            avi.vs.log(string.find("hello world", "o w"))
            avi.vs.log(string.find("hello world", "l+"))
            avi.vs.log(string.find("a.b", ".", 1, true), string.find("a.b", "%."))
            avi.vs.log(string.match("key=value; x=1", "(%w+)=(%w+)"))
            avi.vs.log(string.match("  trim  ", "^%s*(.-)%s*$") .. "|")
            avi.vs.log(string.match("2026-12-07", "(%d+)-(%d+)-(%d+)"))
            avi.vs.log(string.match("hello", "()ll()"))
            avi.vs.log(string.match("THE (quick) fox", "%((%a+)%)"))
            avi.vs.log(string.match("f(a(b)c)", "%b()"))
            avi.vs.log(string.match("THE (quick) fox", "%f[%a]%a+", 5))
            avi.vs.log(string.match("abcabc", "(a)(b)c%1%2"))
            avi.vs.log(string.match("x = [[y]]", "[%[]([^%]]*)"))
            avi.vs.log(string.gsub("hello world", "o", "0"))
            avi.vs.log(string.gsub("hello world", "(%w+)", "<%1>"))
            avi.vs.log(string.gsub("hello", "", "-"))
            avi.vs.log(string.gsub("abc", "%w", "%0%0", 2))
            avi.vs.log(string.gsub("$name is $age", "%$(%w+)", {name = "bo", age = 3}))
            avi.vs.log(string.gsub("a b", "%a", function(c) return c:upper() end))
            avi.vs.log(string.gsub("a b", "%a", function(c) return nil end))
            local words = {}
            for k, v in string.gmatch("a=1, b=2", "(%w+)=(%w+)") do words[#words + 1] = k .. v end
            avi.vs.log(table.concat(words, ","))
            local n = 0
            for w in ("one two  three"):gmatch("%a+") do n = n + 1 end
            avi.vs.log(n)
            avi.vs.log(string.find("abc", "b", -1), string.find("abc", "", 10), string.find("", ""))
            avi.vs.log(pcall(string.find, "x", "[a"))
            avi.vs.log(pcall(string.gsub, "x", "x", "%2"))
            avi.vs.log(pcall(string.find, "x", "%"))
            """,
            new FakeExchange("/"));
    assertThat(logged)
        .containsExactly(
            "5 7",
            "3 4",
            "2 2 2",
            "key value",
            "trim|",
            "2026 12 07",
            "3 5",
            "quick",
            "(a(b)c)",
            "quick",
            "a b",
            "[y",
            "hell0 w0rld 2",
            "<hello> <world> 2",
            "-h-e-l-l-o- 6",
            "aabbc 2",
            "bo is 3 2",
            "A B 2",
            "a b 2",
            "a1,b2",
            "3",
            "nil 4 1 0",
            "false malformed pattern (missing ']')",
            "false invalid capture index %2 in replacement string",
            "false malformed pattern (ends with '%')");
  }

  @Test
  void tooComplexAPatternIsAnErrorNotAJavaStackOverflow() {
    ScriptFailure f =
        failureOf(
            "local s = string.rep('a', 50000)\nlocal i = string.find(s, string.rep('a?', 50000))");
    assertThat(f.reason()).isEqualTo("error");
    assertThat(f.message()).contains("pattern too complex");
    assertThat(f.line()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "local t = {unpack({}, 1, 1e8)}",
        "local t = {table.unpack({}, 1, 1e8)}",
        "local t = {unpack({}, -1e8, 1e8)}",
        "local s = string.rep('x', 2^20)\nlocal t = {s:byte(1, -1)}",
        "local s = string.rep(',', 2^20)\nlocal t = string.split(s, ',')",
      })
  void unpackingMoreThanTheResultLimitIsRefusedBeforeAllocating(String source) {
    ScriptFailure f = failureOf(source);
    assertThat(f.reason()).isEqualTo("memory");
    assertThat(f.message()).contains("over the limit of 100000 values");
    assertThat(f.line()).isEqualTo(source.contains("\n") ? 2 : 1);
  }

  @Test
  void unpackAndByteWithinTheLimitWork() {
    var h = new ScriptHarness();
    assertThat(
            h.logs(
                "avi.vs.log(select('#', unpack({}, 1, 1000)), unpack({1, 2, 3}),"
                    + " table.unpack({4, 5}, 2), select('#', ('x'):rep(5000):byte(1, -1)))",
                new FakeExchange("/")))
        .containsExactly("1000 1 5 5000");
  }

  @Test
  void theResultLimitIsConfigurable() {
    var limits = ScriptLimits.DEFAULT.withMaxResults(10);
    ScriptFailure f =
        failureOf(new ScriptHarness().limits(limits), "local t = {unpack({}, 1, 11)}");
    assertThat(f.message()).contains("over the limit of 10 values");
  }

  @Test
  void aHugeDateFormatIsRefused() {
    long start = System.nanoTime();
    ScriptFailure f = failureOf("local s = os.date(string.rep('%c', 2^20))");
    assertThat(f.reason()).isEqualTo("memory");
    assertThat(f.message()).contains("os.date format");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    var h = new ScriptHarness();
    assertThat(h.logs("avi.vs.log(#os.date('!%Y-%m-%d %H:%M:%S', 0))", new FakeExchange("/")))
        .containsExactly("19");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "local s = string.format('%099999999d', 1)",
        "local s = string.format('%-99999999s', 'x')",
        "local s = string.format('%.99999999f', 1)",
      })
  void formatWidthsAndPrecisionsOverTwoDigitsAreRefusedAsInLua(String source) {
    ScriptFailure f = failureOf(source);
    assertThat(f.reason()).isIn("error", "memory");
    assertThat(f.line()).isEqualTo(1);
  }

  @Test
  void formatWithinLimitsWorks() {
    var h = new ScriptHarness();
    assertThat(
            h.logs(
                "avi.vs.log(string.format('%5d|%s|%02x|%q', 42, 'a', 10, 'x\"y'))",
                new FakeExchange("/")))
        .containsExactly("   42|a|0a|\"x\\\"y\"");
  }

  @Test
  void librariesThatAllocateMuchChargeTheBudget() {
    // each string.rep of 4 MiB is one instruction to the interpreter; the run must not get
    // 1,024 of them (4 GiB) before the next check
    var limits = new ScriptLimits(1_000_000, Duration.ofSeconds(30), 200, Long.MAX_VALUE);
    ScriptFailure f =
        failureOf(
            new ScriptHarness().limits(limits),
            "local n = 0\nwhile true do local s = string.rep('x', 2^22) n = n + 1 end");
    assertThat(f.reason()).isEqualTo("instructions");
    assertThat(f.line()).isEqualTo(2);
  }

  @Test
  void anOutOfMemoryErrorInsideARunFailsOnlyThatRequestWithAnErrorLine() {
    var h = new ScriptHarness();
    h.request("local x = 1\nlocal y = 2");
    h.chunk(
        "hungry",
        environment -> {
          throw new OutOfMemoryError("Java heap space");
        });
    var logs = ListAppenders.attach("dev.limpet.dataplane.script.DataScript");
    try {
      ScriptResult result = h.request(new FakeExchange("/"));
      assertThat(result.action()).isInstanceOf(Failed.class);
      ScriptFailure f = ((Failed) result.action()).failure();
      assertThat(f.dataScript()).isEqualTo("hungry");
      assertThat(f.reason()).isEqualTo("memory");
      assertThat(f.message()).isEqualTo("out of memory: Java heap space");
      assertThat(logs.list)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.ERROR);
                assertThat(e.getFormattedMessage())
                    .isEqualTo(
                        "DataScript hungry failed in HTTP_REQ at line 0: out of memory: Java heap"
                            + " space");
              });
    } finally {
      ListAppenders.detach("dev.limpet.dataplane.script.DataScript", logs);
    }
    var next = new FakeExchange("/");
    assertThat(new ScriptHarness().logs("avi.vs.log('fine')", next)).containsExactly("fine");
  }

  @Test
  void anyOtherThrowableInsideARunFailsOnlyThatRequest() {
    var h = new ScriptHarness();
    h.chunk(
        "buggy",
        environment -> {
          throw new IllegalStateException("a binding's defect");
        });
    ScriptResult result = h.request(new FakeExchange("/"));
    assertThat(result.action()).isInstanceOf(Failed.class);
    ScriptFailure f = ((Failed) result.action()).failure();
    assertThat(f.reason()).isEqualTo("internal");
    assertThat(f.message()).contains("IllegalStateException: a binding's defect");
    assertThat(f.luaStack()).contains("at dev.limpet.dataplane.script.LibraryBoundsTest");
  }

  @Test
  void aLibraryErrorNamesTheScriptLineInTheLogRecord() {
    var logs = ListAppenders.attach("dev.limpet.dataplane.script.DataScript");
    try {
      failureOf("local a = 1\nlocal t = {unpack({}, 1, 1e8)}");
      assertThat(logs.list)
          .singleElement()
          .extracting(e -> e.getFormattedMessage())
          .asString()
          .startsWith("DataScript s0 failed in HTTP_REQ at line 2: ");
    } finally {
      ListAppenders.detach("dev.limpet.dataplane.script.DataScript", logs);
    }
  }
}
