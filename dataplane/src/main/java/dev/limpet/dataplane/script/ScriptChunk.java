package dev.limpet.dataplane.script;

import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;

/** The compiled code of one event, run afresh in a transaction's environment. */
interface ScriptChunk {
  /**
   * Runs on the thread of a {@link ScriptSandbox} run, which has set its {@link
   * ScriptSandbox#hooks()}.
   */
  void run(LuaValue environment);

  /**
   * LuaJ's interpreter over a shared prototype: only a closure is created per run. (Its
   * Lua-to-bytecode compiler, luajc, calls no instruction hook, so it cannot enforce the budget.)
   *
   * <p>A closure calls the instruction and call hooks of the {@code Globals} it is created with,
   * and the functions it creates get that {@code Globals} too; its environment ({@code _ENV}, its
   * first upvalue, which those functions share) is set apart: the thread's hooks, the transaction's
   * plain table.
   */
  static ScriptChunk interpreted(Prototype prototype) {
    return environment -> {
      LuaClosure main = new LuaClosure(prototype, ScriptSandbox.hooks());
      if (main.upValues.length > 0) main.upValues[0].setValue(environment);
      main.call();
    };
  }
}
