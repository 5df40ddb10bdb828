package dev.limpet.dataplane.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;

/**
 * Finds the pool names that a compiled DataScript passes as string literals to {@code
 * avi.pool.select}, so that a name outside the script's {@code pools} is refused before the script
 * ever runs.
 *
 * <p>It reads bytecode, not source, so comments and strings that merely look like a call are never
 * reported. Within each basic block it follows which register holds the global {@code avi}, {@code
 * avi.pool}, {@code avi.pool.select} or a string constant; at a block boundary, and after any
 * instruction it does not model, it forgets. So it never reports a call that is not one, and misses
 * calls whose name is computed, chosen by a branch ({@code x and "a" or "b"}) or reached through a
 * local alias set in another block: those are checked at run time. It gives up on a script that
 * assigns the global {@code avi} or {@code _ENV} (a name-based check could then be wrong); an
 * assignment through {@code rawset} is not seen.
 */
public final class PoolLiteralScanner {
  /** A literal pool name and the line of its call. */
  public record PoolLiteral(int line, String pool) {}

  private static final String AVI = "avi";
  private static final String POOL = "avi.pool";
  private static final String SELECT = "avi.pool.select";
  private static final String LITERAL = "'";

  private PoolLiteralScanner() {}

  /** Every literal pool name of {@code avi.pool.select} calls in {@code main} and its functions. */
  public static List<PoolLiteral> scan(Prototype main) {
    if (redefinesAvi(main)) return List.of();
    List<PoolLiteral> found = new ArrayList<>();
    boolean[] realEnv = new boolean[main.upvalues.length];
    if (realEnv.length > 0) realEnv[0] = true; // a main chunk's only upvalue is _ENV
    scan(main, realEnv, found);
    return List.copyOf(found);
  }

  private static void scan(Prototype p, boolean[] realEnv, List<PoolLiteral> found) {
    boolean[] leaders = leaders(p.code);
    String[] reg = new String[p.maxstacksize + 1];
    for (int pc = 0; pc < p.code.length; pc++) {
      if (leaders[pc]) Arrays.fill(reg, null);
      int i = p.code[pc];
      int a = Lua.GETARG_A(i);
      switch (Lua.GET_OPCODE(i)) {
        case Lua.OP_GETTABUP -> {
          boolean env = Lua.GETARG_B(i) < realEnv.length && realEnv[Lua.GETARG_B(i)];
          reg[a] = env && AVI.equals(constant(p, Lua.GETARG_C(i))) ? AVI : null;
        }
        case Lua.OP_GETTABLE -> reg[a] = field(reg[Lua.GETARG_B(i)], constant(p, Lua.GETARG_C(i)));
        case Lua.OP_LOADK -> {
          LuaValue k = p.k[Lua.GETARG_Bx(i)];
          reg[a] = k.type() == LuaValue.TSTRING ? LITERAL + k.tojstring() : null;
        }
        case Lua.OP_MOVE -> reg[a] = reg[Lua.GETARG_B(i)];
        case Lua.OP_CALL, Lua.OP_TAILCALL -> {
          if (SELECT.equals(reg[a])
              && Lua.GETARG_B(i) != 1
              && reg[a + 1] != null
              && reg[a + 1].startsWith(LITERAL))
            found.add(new PoolLiteral(line(p, pc), reg[a + 1].substring(LITERAL.length())));
          Arrays.fill(reg, a, reg.length, null);
        }
        // everything else may write R(A) and above (or uses A as a flag): forget them
        default -> Arrays.fill(reg, a, reg.length, null);
      }
    }
    for (Prototype child : p.p) {
      boolean[] childEnv = new boolean[child.upvalues.length];
      for (int u = 0; u < childEnv.length; u++) {
        var desc = child.upvalues[u];
        childEnv[u] = !desc.instack && desc.idx < realEnv.length && realEnv[desc.idx];
      }
      scan(child, childEnv, found);
    }
  }

  private static String field(String table, String key) {
    if (AVI.equals(table) && "pool".equals(key)) return POOL;
    if (POOL.equals(table) && "select".equals(key)) return SELECT;
    return null;
  }

  /** Instructions that a jump can reach: the symbolic registers are not valid there. */
  private static boolean[] leaders(int[] code) {
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

  /** True when any function assigns the global {@code avi} or the {@code _ENV} upvalue. */
  private static boolean redefinesAvi(Prototype p) {
    for (int i : p.code) {
      int op = Lua.GET_OPCODE(i);
      if ((op == Lua.OP_SETTABUP || op == Lua.OP_SETTABLE)
          && AVI.equals(constant(p, Lua.GETARG_B(i)))) return true;
      if (op == Lua.OP_SETUPVAL
          && Lua.GETARG_B(i) < p.upvalues.length
          && p.upvalues[Lua.GETARG_B(i)].name != null
          && "_ENV".equals(p.upvalues[Lua.GETARG_B(i)].name.tojstring())) return true;
    }
    for (Prototype child : p.p) if (redefinesAvi(child)) return true;
    return false;
  }

  /** The string constant that an RK operand names, or null. */
  private static String constant(Prototype p, int rk) {
    if (!Lua.ISK(rk)) return null;
    LuaValue k = p.k[Lua.INDEXK(rk)];
    return k.type() == LuaValue.TSTRING ? k.tojstring() : null;
  }

  private static int line(Prototype p, int pc) {
    return p.lineinfo != null && pc < p.lineinfo.length ? p.lineinfo[pc] : 0;
  }
}
