package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.script.ScriptResult.Failed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A failing script: the request gets a 500, one record and one count; nothing else is touched. */
@Timeout(20)
class ScriptFailureTest {

  @Test
  void theFailureRecordNamesVirtualServiceScriptEventLineAndStack() {
    var h = new ScriptHarness();
    h.script(
        "sticky",
        null,
        """
        local function lookup(key)
          return avi.vs.table_lookup(key)
        end
        local t = nil
        lookup('k')
        return t.field
        """,
        null);
    var exchange = new FakeExchange("/").respond(200, h.a);
    ScriptResult result = h.run(ScriptEvent.HTTP_RESP, new ScriptTransaction(), exchange);
    assertThat(result.action()).isInstanceOf(Failed.class);
    ScriptFailure f = ((Failed) result.action()).failure();
    assertThat(f.virtualService()).isEqualTo("web");
    assertThat(f.dataScript()).isEqualTo("sticky");
    assertThat(f.event()).isEqualTo(ScriptEvent.HTTP_RESP);
    assertThat(f.reason()).isEqualTo("error");
    assertThat(f.line()).isEqualTo(6);
    assertThat(f.message()).isEqualTo("sticky/httpResponse:6: attempt to index ? (a nil value)");
    assertThat(f.luaStack()).isEqualTo("stack traceback:\n\tsticky/httpResponse:6: in main chunk");
    assertThat(h.failures).containsExactly(f);
  }

  @Test
  void anErrorInsideAFunctionShowsTheWholeStack() {
    var h = new ScriptHarness();
    h.request(
        "local function inner()\n  error('boom')\nend\nlocal function outer() inner() end\nouter()");
    h.request(new FakeExchange("/"));
    ScriptFailure f = h.failures.get(0);
    assertThat(f.message()).isEqualTo("s0/httpRequest:2: boom");
    assertThat(f.line()).isEqualTo(2);
    assertThat(f.luaStack())
        .isEqualTo(
            "stack traceback:\n\ts0/httpRequest:2: in function <line 1>"
                + "\n\ts0/httpRequest:4: in function <line 4>"
                + "\n\ts0/httpRequest:5: in main chunk");
  }

  @Test
  void errorsCaughtByPcallAreTheScriptsBusinessAndLookLikeLuas() {
    var h = new ScriptHarness();
    var exchange = new FakeExchange("/");
    h.logs(
        "local ok, e = pcall(function() avi.vs.table_insert() end)\navi.vs.log(ok, e)\n"
            + "local ok2, e2 = pcall(error, {code = 7})\navi.vs.log(ok2, e2.code)",
        exchange);
    assertThat(ScriptHarness.logged(exchange))
        .containsExactly(
            "false s0/httpRequest:1: avi.vs.table_insert: a key and a value are required",
            "false 7");
  }

  @Test
  void aFailureStopsTheFollowingScriptsOfTheEventOnly() {
    var h = new ScriptHarness();
    h.script("first", "avi.vs.log('first')", null, null);
    h.script("broken", "error('x')", null, null);
    h.script("third", "avi.vs.log('third')", null, null);
    var exchange = new FakeExchange("/");
    assertThat(h.request(exchange).action()).isInstanceOf(Failed.class);
    assertThat(ScriptHarness.logged(exchange)).containsExactly("first");
    var next = new FakeExchange("/");
    h.request(next);
    assertThat(ScriptHarness.logged(next)).containsExactly("first");
    assertThat(h.failures).hasSize(2).allMatch(f -> f.dataScript().equals("broken"));
  }
}
