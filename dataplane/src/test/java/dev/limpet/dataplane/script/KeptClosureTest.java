package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * A thread keeps the main closure of each chunk it ran ({@link MainClosure}) and runs it again for
 * the next transaction: nothing of one run may reach another.
 */
class KeptClosureTest {
  @Test
  void aLocalStartsNilInEveryRunAndNoRequestValueStaysInTheKeptClosure() {
    var h = new ScriptHarness();
    h.script(
        "s",
        """
        local seen
        if seen then avi.vs.log('kept: ' .. seen) end
        seen = avi.http.get_header('X-Client')
        avi.vs.log(seen)
        """,
        null,
        null);
    for (String client : new String[] {"first", "second"}) {
      var exchange = new FakeExchange("/").header("X-Client", client);
      h.request(exchange);
      assertThat(ScriptHarness.logged(exchange)).containsExactly(client);
    }
    assertThat(h.failures).isEmpty();
    assertThat(keptClosures()).isNotEmpty().allMatch(MainClosure::holdsNothing);
  }

  @Test
  void aFunctionKeptFromTheRequestReadsItsOwnTransactionWhileOthersRunBetween() {
    var h = new ScriptHarness();
    // the function captures the request run's _ENV: that upvalue must be this transaction's
    h.script(
        "s",
        "client = avi.http.get_header('X-Client') function who() return client end",
        "avi.vs.log(who())",
        null);
    eachResponseLogsItsOwnClient(h);
  }

  @Test
  void aFunctionKeptFromTheRequestKeepsTheLocalItCapturedAfterTheRegistersAreReused() {
    var h = new ScriptHarness();
    // LuaJ closes (copies out) a captured local when the main function returns
    h.script(
        "s",
        "local client = avi.http.get_header('X-Client') function who() return client end",
        "avi.vs.log(who())",
        null);
    eachResponseLogsItsOwnClient(h);
  }

  /**
   * Runs two transactions' requests (clients "a" and "b") one after the other, then both responses:
   * each response must log its own client.
   */
  private static void eachResponseLogsItsOwnClient(ScriptHarness h) {
    var first = new ScriptTransaction();
    var second = new ScriptTransaction();
    var a = new FakeExchange("/").header("X-Client", "a");
    var b = new FakeExchange("/").header("X-Client", "b");
    h.run(ScriptEvent.HTTP_REQ, first, a);
    h.run(ScriptEvent.HTTP_REQ, second, b);
    a = a.respond(200, h.a);
    b = b.respond(200, h.a);
    h.run(ScriptEvent.HTTP_RESP, first, a);
    h.run(ScriptEvent.HTTP_RESP, second, b);
    assertThat(h.failures).isEmpty();
    assertThat(ScriptHarness.logged(a)).containsExactly("a");
    assertThat(ScriptHarness.logged(b)).containsExactly("b");
  }

  @Test
  void anEnvironmentAssignedInOneRunIsGoneInTheNext() {
    var h = new ScriptHarness();
    h.script(
        "s",
        """
        avi.vs.log(tostring(marker))
        local log = avi.vs.log
        _ENV = {tostring = tostring}
        marker = 'set in a replaced _ENV'
        log(tostring(marker))
        """,
        null,
        null);
    for (int i = 0; i < 2; i++) {
      var exchange = new FakeExchange("/");
      h.request(exchange);
      assertThat(ScriptHarness.logged(exchange)).containsExactly("nil", "set in a replaced _ENV");
    }
    assertThat(h.failures).isEmpty();
  }

  @Test
  void aRunThatFailsLeavesNothingForTheNextAndAnAbortedRunsClosureIsNotKept() {
    var h = new ScriptHarness().limits(ScriptLimits.DEFAULT.withInstructions(10_000));
    h.script(
        "s",
        """
        client = avi.http.get_header('X-Client')
        function who() return client end
        local path = avi.http.get_path()
        if path == '/loop' then while true do end end
        if path == '/error' then error('refused') end
        if path == '/reply' then avi.http.response(204) end
        avi.vs.log(who())
        """,
        null,
        null);
    var earlier = keptClosures();
    h.request(new FakeExchange("/").header("X-Client", "warm"));
    // this thread keeps closures of other tests' chunks too: this chunk's is the new one
    var ours = keptClosures().stream().filter(c -> !earlier.contains(c)).toList();
    assertThat(ours).hasSize(1);
    MainClosure beforeAbort = ours.get(0);
    h.request(new FakeExchange("/loop").header("X-Client", "looping"));
    // an abort may strike while LuaJ closes the run's upvalues: its closure is not run again
    assertThat(keptClosures()).doesNotContain(beforeAbort);
    for (String path : new String[] {"/error", "/reply", "/loop"}) {
      h.request(new FakeExchange(path).header("X-Client", "failing"));
      assertThat(keptClosures()).as(path).allMatch(MainClosure::holdsNothing);
      var next = new FakeExchange("/").header("X-Client", "next after " + path);
      h.request(next);
      assertThat(ScriptHarness.logged(next)).as(path).containsExactly("next after " + path);
    }
    assertThat(h.failures).hasSize(3); // the two loops and the error; a reply is no failure
  }

  private static java.util.List<MainClosure> keptClosures() {
    return Arrays.stream(ScriptSandbox.threadHooks().closures()).filter(Objects::nonNull).toList();
  }
}
