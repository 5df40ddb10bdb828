package dev.limpet.dataplane.script;

import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;

/** The compiled code of one event, run afresh in a transaction's environment. */
interface ScriptChunk {
  void run(LuaValue environment);

  /**
   * LuaJ's interpreter over a shared prototype: only a closure is created per run. (Its
   * Lua-to-bytecode compiler, luajc, calls no instruction hook, so it cannot enforce the budget.)
   */
  static ScriptChunk interpreted(Prototype prototype) {
    return environment -> new LuaClosure(prototype, environment).call();
  }
}
