package dev.limpet.dataplane.script;

import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;

/** The compiled code of one event, run afresh in a transaction's environment. */
interface ScriptChunk {
  /**
   * Runs on the thread of a {@link ScriptSandbox} run, which has set its {@link
   * ScriptSandbox#hooks()}.
   */
  void run(LuaValue environment);

  /** As {@link #run(LuaValue)}, given the thread's hooks the sandbox read for this run. */
  default void run(LuaValue environment, ScriptSandbox.ThreadHooks thread) {
    run(environment);
  }

  /**
   * LuaJ's interpreter over a shared prototype. (Its Lua-to-bytecode compiler, luajc, calls no
   * instruction hook, so it cannot enforce the budget.) Each thread keeps the closure of a chunk it
   * ran and runs it again with the next transaction's environment: see {@link MainClosure}.
   */
  static ScriptChunk interpreted(Prototype prototype) {
    return new MainClosure.Chunk(prototype);
  }
}
