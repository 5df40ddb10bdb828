package dev.limpet.dataplane.script;

import org.luaj.vm2.Globals;

/**
 * The global table of one DataScript in one transaction: what the script assigns lands here and
 * lives until the transaction ends; everything else is read through to the thread's sandbox. A
 * {@link Globals} because LuaJ closures call the instruction hook only when their environment is
 * one.
 */
final class ScriptEnvironment extends Globals {
  ScriptEnvironment() {
    rawset("_G", this);
  }

  /** Points the hooks and the library lookups at the sandbox of the thread about to run it. */
  void bindTo(ScriptSandbox sandbox) {
    debuglib = sandbox.limiter();
    running = sandbox.mainThread();
    setmetatable(sandbox.environmentMetatable());
  }
}
