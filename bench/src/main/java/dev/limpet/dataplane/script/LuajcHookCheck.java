package dev.limpet.dataplane.script;

import dev.limpet.contract.DataScriptConfig;
import dev.limpet.contract.DataScriptConfig.Events;
import java.util.List;

/**
 * Evidence for the choice of execution: runs a 10-million-iteration loop under an instruction
 * budget of 10,000 with the interpreter and with luajc, and prints what the budget saw.
 */
public final class LuajcHookCheck {
  private LuajcHookCheck() {}

  public static void main(String[] args) throws Exception {
    var config =
        new DataScriptConfig(
            "loop",
            new Events("local n = 0 for i = 1, 1e7 do n = n + i end avi.vs.log(n)", null, null),
            List.of());
    ScriptLimits limits = ScriptLimits.DEFAULT.withInstructions(10_000);
    for (String mode : List.of("interpreter", "luajc")) {
      var fixture = new BenchFixture();
      CompiledDataScript script =
          mode.equals("luajc") ? LuajcChunks.compile(config) : CompiledDataScript.compile(config);
      VirtualServiceScripts scripts = fixture.scripts(script, limits);
      String outcome;
      try {
        ScriptResult result =
            scripts.run(
                ScriptEvent.HTTP_REQ, new ScriptTransaction(), new BenchFixture.Exchange("x"));
        outcome = "finished the loop: " + result.action();
      } catch (IllegalStateException e) { // BenchFixture's metrics throw on a failure
        outcome = "aborted: " + e.getMessage();
      }
      System.out.println(mode + ": " + outcome);
    }
  }
}
