package dev.limpet.contract;

import java.util.Arrays;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;

/** Reading LuaJ 5.2 bytecode for the checks made when a DataScript is compiled. */
final class Bytecode {
  private Bytecode() {}

  /** Instructions that a jump can reach: what a register held before is not known there. */
  static boolean[] leaders(int[] code) {
    boolean[] leaders = new boolean[code.length + 2];
    for (int pc = 0; pc < code.length; pc++) {
      int i = code[pc];
      switch (Lua.GET_OPCODE(i)) {
        case Lua.OP_JMP, Lua.OP_FORLOOP, Lua.OP_FORPREP, Lua.OP_TFORLOOP -> {
          int target = pc + 1 + Lua.GETARG_sBx(i);
          if (target >= 0 && target < leaders.length) leaders[target] = true;
        }
        case Lua.OP_EQ, Lua.OP_LT, Lua.OP_LE, Lua.OP_TEST, Lua.OP_TESTSET -> leaders[pc + 2] = true;
        case Lua.OP_LOADBOOL -> {
          if (Lua.GETARG_C(i) != 0) leaders[pc + 2] = true;
        }
        default -> {}
      }
    }
    return leaders;
  }

  /** What one instruction makes of the registers, as a scanner models it. */
  @FunctionalInterface
  interface Step {
    /**
     * Sets in {@code reg} what instruction {@code i} (at {@code pc}, target register {@code a})
     * leaves in the registers the scanner follows; an instruction it does not model must forget
     * {@code reg[a]} and above ({@link #forget}).
     */
    void apply(int pc, int i, int a, String[] reg);
  }

  /**
   * Runs {@code step} over {@code p}'s instructions in order with one register file per function (a
   * name or value per register, null when not known), cleared where a jump can land: the loop every
   * bytecode scanner shares. Nested functions are the caller's to scan.
   */
  static void followRegisters(Prototype p, Step step) {
    boolean[] leaders = leaders(p.code);
    String[] reg = new String[p.maxstacksize + 1];
    for (int pc = 0; pc < p.code.length; pc++) {
      if (leaders[pc]) Arrays.fill(reg, null);
      int i = p.code[pc];
      step.apply(pc, i, Lua.GETARG_A(i), reg);
    }
  }

  /** Forgets what registers {@code a} and above held: an instruction may have written them. */
  static void forget(String[] reg, int a) {
    Arrays.fill(reg, a, reg.length, null);
  }

  /** The string constant that an RK operand names, or null. */
  static String constant(Prototype p, int rk) {
    if (!Lua.ISK(rk)) return null;
    LuaValue k = p.k[Lua.INDEXK(rk)];
    return k.type() == LuaValue.TSTRING ? k.tojstring() : null;
  }

  static int line(Prototype p, int pc) {
    return p.lineinfo != null && pc < p.lineinfo.length ? p.lineinfo[pc] : 0;
  }

  /**
   * Which upvalues of each child of {@code p} are the chunk's {@code _ENV}, given which of {@code
   * p}'s are.
   */
  static boolean[] childEnv(Prototype child, boolean[] parentEnv) {
    boolean[] env = new boolean[child.upvalues.length];
    for (int u = 0; u < env.length; u++) {
      var desc = child.upvalues[u];
      env[u] = !desc.instack && desc.idx < parentEnv.length && parentEnv[desc.idx];
    }
    return env;
  }

  /** {@code _ENV} flags of a main chunk: its only upvalue is {@code _ENV}. */
  static boolean[] mainEnv(Prototype main) {
    boolean[] env = new boolean[main.upvalues.length];
    if (env.length > 0) env[0] = true;
    return env;
  }

  /** True when a {@code GETTABUP} reads global {@code name} from the chunk's {@code _ENV}. */
  static boolean readsGlobal(Prototype p, int i, boolean[] env, String name) {
    int b = Lua.GETARG_B(i);
    return b < env.length && env[b] && name.equals(constant(p, Lua.GETARG_C(i)));
  }

  /** True when any function assigns the global {@code name} or the {@code _ENV} upvalue. */
  static boolean redefines(Prototype p, String name) {
    for (int i : p.code) {
      int op = Lua.GET_OPCODE(i);
      if ((op == Lua.OP_SETTABUP || op == Lua.OP_SETTABLE)
          && name.equals(constant(p, Lua.GETARG_B(i)))) return true;
      if (op == Lua.OP_SETUPVAL
          && Lua.GETARG_B(i) < p.upvalues.length
          && p.upvalues[Lua.GETARG_B(i)].name != null
          && "_ENV".equals(p.upvalues[Lua.GETARG_B(i)].name.tojstring())) return true;
    }
    for (Prototype child : p.p) if (redefines(child, name)) return true;
    return false;
  }
}
