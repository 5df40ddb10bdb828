package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;

/**
 * The budgeted pattern functions give what LuaJ's own give, on a fixed corpus and on random
 * patterns: the rewrite changed who counts the steps, not what matches.
 */
class LuaPatternTest {
  private static final LuaTable LUAJ = luajString();
  private final RunLimiter limiter = new RunLimiter(200);

  private static LuaTable luajString() {
    Globals g = new Globals();
    g.load(new org.luaj.vm2.lib.BaseLib());
    g.load(new PackageLib());
    g.load(new StringLib());
    LuaTable string = (LuaTable) g.get("string");
    SharedLibraries.installStringMetatable();
    return string;
  }

  @BeforeEach
  void startRun() {
    // the whole corpus counts as one run: the default 200 ms of wall clock is not what is compared
    // here, and a busy machine went past it (seen once in a full build)
    limiter.start(
        new ScriptLimits(
            Long.MAX_VALUE,
            Duration.ofMinutes(10),
            ScriptLimits.DEFAULT.callDepth(),
            ScriptLimits.DEFAULT.allocatedBytes()));
  }

  @AfterEach
  void finishRun() {
    limiter.finish();
  }

  private static String outcome(LuaTable library, String function, Varargs args) {
    try {
      Varargs result = library.get(function).invoke(args);
      List<String> values = new ArrayList<>();
      for (int i = 1; i <= result.narg(); i++) values.add(result.arg(i).tojstring());
      return String.join(",", values);
    } catch (LuaError e) {
      return "error";
    } catch (RuntimeException e) {
      // LuaJ's matcher reads past the end on some patterns (e.g. a frontier at the subject's end)
      return "crash: " + e;
    }
  }

  private static void same(String function, Varargs args) {
    String ours = outcome(SharedLibraries.STRING, function, args);
    String luaj = outcome(LUAJ, function, args);
    assertThat(ours).as("%s(%s)", function, args.tojstring()).doesNotStartWith("crash");
    if (!luaj.startsWith("crash"))
      assertThat(ours).as("%s(%s)", function, args.tojstring()).isEqualTo(luaj);
  }

  private static Varargs args(String s, String p) {
    return LuaValue.varargsOf(LuaValue.valueOf(s), LuaValue.valueOf(p));
  }

  @Test
  void aCorpusOfPatternsMatchesAsLuaJDid() {
    String[][] cases = {
      {"hello world", "o w"},
      {"hello world", "l+"},
      {"hello", "^h"},
      {"hello", "^e"},
      {"hello", "o$"},
      {"he$lo", "e$l"},
      {"a.b", "%."},
      {"key=value", "(%w+)=(%w+)"},
      {"  x  ", "^%s*(.-)%s*$"},
      {"2026-12-07", "(%d+)-(%d+)-(%d+)"},
      {"hello", "()ll()"},
      {"f(a(b)c)", "%b()"},
      {"abab", "(ab)%1"},
      {"[x]", "[%[]"},
      {"a-b", "[a-]"},
      {"a]b", "[]]"},
      {"a^b", "[%^]"},
      {"ab", "[^a]"},
      {"x", "[a-z"},
      {"x", "%"},
      {"x", "(x"},
      {"x", "x)"},
      {"x", "%1"},
      {"aaa", "a-b"},
      {"aaab", "a-b"},
      {"aaab", "a*b"},
      {"b", "a?b"},
      {"", ""},
      {"", "a*"},
      {"abc", ""},
      {"a\0b", "%z"},
      {"A1 _.", "%W"},
      {"\t\n ", "%s+"},
      {"x", "%bxy"},
      {"xay", "%bxy"},
      {"cookie=a; b=c", "([^;=%s]+)=([^;]*)"},
      {"/a/b/c", "^/([^/]+)"},
      {"AbC", "%u%l%u"},
      {"0x1F", "0x(%x+)"},
      {"a,b,,c", "([^,]*)"},
      {"((a)", "%b()"}
    };
    for (String[] c : cases) {
      for (String f : List.of("find", "match", "gsub")) {
        Varargs a =
            f.equals("gsub")
                ? LuaValue.varargsOf(
                    new LuaValue[] {
                      LuaValue.valueOf(c[0]), LuaValue.valueOf(c[1]), LuaValue.valueOf("<%0>")
                    })
                : args(c[0], c[1]);
        same(f, a);
      }
      same(
          "find",
          LuaValue.varargsOf(LuaValue.valueOf(c[0]), LuaValue.valueOf(c[1]), LuaValue.valueOf(2)));
      same(
          "find",
          LuaValue.varargsOf(LuaValue.valueOf(c[0]), LuaValue.valueOf(c[1]), LuaValue.valueOf(-2)));
    }
  }

  /** LuaJ's frontier pattern consumes a character, unlike Lua's: these follow lstrlib.c. */
  @Test
  void frontiersAreZeroWidthAsInLua() {
    assertThat(outcome(SharedLibraries.STRING, "find", args("THE (quick) fox", "%f[%a]%a+")))
        .isEqualTo("1,3");
    assertThat(
            outcome(
                SharedLibraries.STRING,
                "find",
                LuaValue.varargsOf(
                    LuaValue.valueOf("THE (quick) fox"),
                    LuaValue.valueOf("%f[%a]%a+"),
                    LuaValue.valueOf(2))))
        .isEqualTo("6,10");
    assertThat(outcome(SharedLibraries.STRING, "find", args("b_a", "%f[a][%d_]"))).isEqualTo("nil");
    assertThat(outcome(SharedLibraries.STRING, "gsub", args3("the cat", "%f[%w]%w+", "<%0>")))
        .isEqualTo("<the> <cat>,2");
    assertThat(outcome(SharedLibraries.STRING, "find", args("x", "%f[%z]"))).isEqualTo("2,1");
    assertThat(outcome(SharedLibraries.STRING, "find", args("x", "%f[x"))).isEqualTo("error");
  }

  private static Varargs args3(String s, String p, String r) {
    return LuaValue.varargsOf(
        new LuaValue[] {LuaValue.valueOf(s), LuaValue.valueOf(p), LuaValue.valueOf(r)});
  }

  @Test
  void randomPatternsMatchAsLuaJDid() {
    String[] items = {
      "a", "b", ".", "%a", "%d", "%s", "[ab]", "[^a]", "[a-c]", "%%", "$", "^", "(", ")", "()",
      "%1", "%bab", "-", "*", "+", "?", "%w", "[%d_]", "x"
    };
    String subjectBytes = "aabbc1 2_x%$()";
    Random random = new Random(20261207);
    for (int n = 0; n < 5_000; n++) {
      StringBuilder p = new StringBuilder();
      for (int i = random.nextInt(6); i >= 0; i--) p.append(items[random.nextInt(items.length)]);
      StringBuilder s = new StringBuilder();
      for (int i = random.nextInt(12); i >= 0; i--)
        s.append(subjectBytes.charAt(random.nextInt(subjectBytes.length())));
      // LuaJ "matches" a back-reference to a position capture; lstrlib.c fails it
      if (p.indexOf("()") >= 0 && p.indexOf("%1") >= 0) continue;
      same("find", args(s.toString(), p.toString()));
      same("match", args(s.toString(), p.toString()));
      same(
          "gsub",
          LuaValue.varargsOf(
              new LuaValue[] {
                LuaValue.valueOf(s.toString()),
                LuaValue.valueOf(p.toString()),
                LuaValue.valueOf("[%0]")
              }));
    }
  }
}
