package dev.limpet.dataplane.script;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.luaj.vm2.Globals;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.UpValue;

/**
 * The main function of one compiled chunk on one thread, kept for the chunk's next run there
 * instead of a new closure, upvalue and register array per run.
 *
 * <p>It calls the instruction and call hooks of the thread's {@code Globals} it is created with
 * ({@link ScriptSandbox#hooks()}), as every closure it creates does; its environment ({@code _ENV},
 * its first upvalue) is the transaction's table, set for the run and cleared after it, as are its
 * registers, so nothing of a request outlives its run here. Scripts never get hold of the main
 * function itself (there is no {@code debug} library), so keeping it shows them nothing.
 *
 * <p>A chunk that creates functions or assigns {@code _ENV} gets a new {@code _ENV} upvalue per
 * run, as before: functions it creates capture that upvalue and may be kept in the transaction's
 * environment for a later event, so it must not be shared with another run.
 */
final class MainClosure extends LuaClosure {
  private static final int SLOTS = 64;

  /** The closures a thread keeps, by {@link Chunk#slot}; another chunk in the slot replaces it. */
  static MainClosure[] newCache() {
    return new MainClosure[SLOTS];
  }

  /** The compiled code of one event: a shared prototype and the slot its closures use. */
  static final class Chunk implements ScriptChunk {
    private static final AtomicInteger NEXT_SLOT = new AtomicInteger();

    private final Prototype prototype;
    private final int slot = NEXT_SLOT.getAndIncrement() & (SLOTS - 1);
    private final boolean capturesEnvironment;

    Chunk(Prototype prototype) {
      this.prototype = prototype;
      this.capturesEnvironment = capturesEnvironment(prototype);
    }

    @Override
    public void run(LuaValue environment) {
      run(environment, ScriptSandbox.threadHooks());
    }

    @Override
    public void run(LuaValue environment, ScriptSandbox.ThreadHooks thread) {
      MainClosure main = thread.closures()[slot];
      if (main == null || main.p != prototype) {
        main = new MainClosure(prototype, thread.globals());
        thread.closures()[slot] = main;
      }
      try {
        main.run(environment, capturesEnvironment);
      } catch (ScriptExit | LuaError ended) {
        throw ended;
      } catch (Throwable aborted) {
        // an abort, a stack overflow or an out-of-memory may have struck while LuaJ closed the
        // run's upvalues (copied captured locals out): a function kept from this run must not stay
        // tied to registers that the next run reuses
        thread.closures()[slot] = null;
        throw aborted;
      }
    }
  }

  private final LuaValue[] registers;
  private final UpValue sharedEnvironment;

  private MainClosure(Prototype p, Globals hooks) {
    super(p, hooks);
    registers = new LuaValue[p.maxstacksize];
    sharedEnvironment = new UpValue(new LuaValue[] {NIL}, 0);
    if (upValues.length > 0) upValues[0] = sharedEnvironment;
  }

  private void run(LuaValue environment, boolean fresh) {
    if (upValues.length == 0) {
      runOnRegisters();
      return;
    }
    if (fresh) upValues[0] = new UpValue(new LuaValue[] {environment}, 0);
    else sharedEnvironment.setValue(environment);
    try {
      runOnRegisters();
    } finally {
      sharedEnvironment.setValue(NIL);
      upValues[0] = sharedEnvironment;
    }
  }

  private void runOnRegisters() {
    // what LuaClosure.call() does, on registers cleared after each run (a kept function's
    // upvalues were closed, i.e. copied out of them, when this call returned)
    try {
      execute(registers, NONE).arg1();
    } finally {
      Arrays.fill(registers, null);
    }
  }

  /** True when no value of a finished run is left in this closure's registers or environment. */
  boolean holdsNothing() {
    if (upValues.length > 0
        && (upValues[0] != sharedEnvironment || !sharedEnvironment.getValue().isnil()))
      return false;
    for (LuaValue r : registers) if (r != null) return false;
    return true;
  }

  /**
   * True when {@code p}'s main function creates closures (which capture {@code _ENV}) or assigns an
   * upvalue (only {@code _ENV} is one there).
   */
  private static boolean capturesEnvironment(Prototype p) {
    for (int instruction : p.code) {
      int op = Lua.GET_OPCODE(instruction);
      if (op == Lua.OP_CLOSURE || op == Lua.OP_SETUPVAL) return true;
    }
    return p.p.length > 0;
  }
}
