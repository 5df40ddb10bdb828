package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a script cannot reach or change. */
@Timeout(20)
class SandboxTest {

  private static List<String> logs(String source) {
    return new ScriptHarness().logs(source, new FakeExchange("/"));
  }

  @Test
  void dangerousGlobalsAreAbsent() {
    assertThat(
            logs(
                """
                for _, name in ipairs({'io', 'luajava', 'require', 'load', 'loadstring', 'dofile',
                    'loadfile', 'debug', 'coroutine', 'package', 'print', 'collectgarbage',
                    'module', 'setfenv', 'getfenv'}) do
                  avi.vs.log(name, type(_G[name]))
                end
                avi.vs.log(type(os.execute), type(os.exit), type(os.remove), type(os.rename),
                    type(os.getenv), type(os.tmpname), type(string.dump))
                avi.vs.log(type(os.time()), type(os.clock()), type(os.date('%Y')))
                """))
        .containsExactly(
            "io nil",
            "luajava nil",
            "require nil",
            "load nil",
            "loadstring nil",
            "dofile nil",
            "loadfile nil",
            "debug nil",
            "coroutine nil",
            "package nil",
            "print nil",
            "collectgarbage nil",
            "module nil",
            "setfenv nil",
            "getfenv nil",
            "nil nil nil nil nil nil nil",
            "number number string");
  }

  @Test
  void theSafeBaseAndLibrariesArePresent() {
    assertThat(
            logs(
                """
                avi.vs.log(select('#', 1, 2), tonumber('0x10'), tostring(nil), rawlen({1, 2}),
                    rawequal(1, 1), unpack({4, 5}))
                avi.vs.log(string.rep('ab', 3, '-'), ('x'):upper(), table.concat({1, 2}, '+'),
                    math.max(3, 7), bit32.band(6, 3))
                local r = math.random(1, 6)
                avi.vs.log(r >= 1 and r <= 6, select(2, pcall(error, 'caught')))
                """))
        .containsExactly("2 16 nil 2 true 4 5", "ab-ab-ab X 1+2 7 2", "true caught");
  }

  @Test
  void callingAnAbsentFunctionIsAnOrdinaryScriptError() {
    for (String escape :
        List.of(
            "io.open('/etc/passwd')",
            "os.execute('id')",
            "luajava.bindClass('java.lang.System')",
            "require('os')",
            "load('return 1')()",
            "debug.sethook()")) {
      var h = new ScriptHarness();
      h.request(escape);
      assertThat(h.request(new FakeExchange("/")).action())
          .as(escape)
          .isInstanceOf(ScriptResult.Failed.class);
      assertThat(h.failures.get(0).reason()).as(escape).isEqualTo("error");
    }
  }

  @Test
  void sharedTablesAndMetatablesAreReadOnly() {
    for (String change :
        List.of(
            "string.upper = function() return 'pwned' end",
            "getmetatable('').__index = {}",
            "getmetatable('').__index.upper = nil",
            "rawset(string, 'x', 1)",
            "table.insert(string, 1)",
            "table.sort(math)",
            "setmetatable(string, {})",
            "avi.vs.log = nil",
            "avi.pool = {}",
            "getmetatable(avi.vs).__index = {}",
            "setmetatable(_G, {})",
            "os.time = nil")) {
      var h = new ScriptHarness();
      h.request("assert(not pcall(function() " + change + " end), 'changed')");
      h.request(new FakeExchange("/"));
      assertThat(h.failures).as(change).isEmpty();
    }
    assertThat(logs("avi.vs.log(('abc'):upper(), getmetatable(_G))")).containsExactly("ABC false");
  }

  @Test
  void noJavaObjectIsReachable() {
    // walks everything reachable from the globals, metatables included
    assertThat(
            logs(
                """
                local seen, kinds = {}, {}
                local function walk(v)
                  if seen[v] then return end
                  local t = type(v)
                  kinds[t] = true
                  if t == 'table' then
                    seen[v] = true
                    for k, x in pairs(v) do walk(k) walk(x) end
                    local mt = getmetatable(v)
                    if mt then walk(mt) end
                  elseif t == 'string' then
                    walk(getmetatable(v))
                  end
                end
                walk(_G)
                walk(avi.vs.reqvar)
                avi.vs.log(kinds.userdata == nil, kinds.thread == nil, kinds.table, kinds["function"])
                """))
        .containsExactly("true true true true");
  }

  /**
   * A global the script sets hides the library's of that name, as in Lua with an {@code __index}
   * environment; {@code _G} is the environment itself.
   */
  @Test
  void aScriptsGlobalsShadowTheLibrariesAndG() {
    assertThat(
            logs(
                """
                local log = avi.vs.log
                log(type(string), _G == _ENV, type(_G), type(avi))
                string = "mine"
                log(string)
                rawset(_G, "math", 42)
                log(math, type(table))
                avi = nil -- removes no global of the script's: the library's stays visible
                log(type(avi))
                _G = "g"
                log(_G)
                """))
        .containsExactly("table true table table", "mine", "42 table", "table", "g");
  }

  @Test
  void globalsOfOneTransactionAreNotSeenByTheNextOnTheSameThread() {
    var h = new ScriptHarness();
    h.request("avi.vs.log(tostring(counter))\ncounter = (counter or 0) + 1\n_G.other = 1");
    var first = new FakeExchange("/");
    var second = new FakeExchange("/");
    h.request(first);
    h.request(second);
    assertThat(ScriptHarness.logged(first)).containsExactly("nil");
    assertThat(ScriptHarness.logged(second)).containsExactly("nil");
  }
}
