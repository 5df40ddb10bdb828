package dev.limpet.contract;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;

/**
 * Finds the pool names that a compiled DataScript passes to {@code avi.pool.select} as string
 * literals, or through a variable that only ever holds one string (the usual Avi style: {@code
 * local pool = "my_pool"} or the global {@code pool = "my_pool"}), so that a name outside the
 * script's {@code pools} is refused before the script ever runs.
 *
 * <p>It reads bytecode, not source, so comments and strings that merely look like a call are never
 * reported. Within each basic block it follows which register holds the global {@code avi}, {@code
 * avi.pool}, {@code avi.pool.select} or a string; at a block boundary, and after any instruction it
 * does not model, it forgets. A constant variable is one that is assigned once, from a string
 * constant: a local never written again in its scope (nor through a closure), or a global that
 * every assignment of the chunk sets to the same string. So it never reports a call that is not
 * one, and misses calls whose name is computed, chosen by a branch ({@code x and "a" or "b"}) or
 * reached through an alias set in another block: those are checked at run time. It gives up on a
 * script that assigns the global {@code avi} or {@code _ENV}; an assignment through {@code rawset}
 * is not seen.
 */
public final class PoolLiteralScanner {
  /** A literal pool name and the line of its call. */
  public record PoolLiteral(int line, String pool) {}

  private static final String AVI = "avi";
  private static final String POOL = "avi.pool";
  private static final String SELECT = "avi.pool.select";
  private static final String LITERAL = "'";

  private PoolLiteralScanner() {}

  /**
   * Every constant pool name of {@code avi.pool.select} calls in {@code main} and its functions.
   */
  public static List<PoolLiteral> scan(Prototype main) {
    if (Bytecode.redefines(main, AVI)) return List.of();
    Map<String, String> globals = constantGlobals(main);
    List<PoolLiteral> found = new ArrayList<>();
    scan(main, Bytecode.mainEnv(main), new String[main.upvalues.length], globals, found);
    return List.copyOf(found);
  }

  /**
   * @param env which upvalues are the chunk's {@code _ENV}
   * @param upvalues the constant string each upvalue holds, or null
   */
  private static void scan(
      Prototype p,
      boolean[] env,
      String[] upvalues,
      Map<String, String> globals,
      List<PoolLiteral> found) {
    ConstantLocals locals = new ConstantLocals(p);
    String[][] childUpvalues = new String[p.p.length][];
    Bytecode.followRegisters(
        p,
        (pc, i, a, reg) -> {
          switch (Lua.GET_OPCODE(i)) {
            case Lua.OP_GETTABUP -> {
              reg[a] = null;
              if (Bytecode.readsGlobal(p, i, env, AVI)) reg[a] = AVI;
              else if (Lua.GETARG_B(i) < env.length && env[Lua.GETARG_B(i)]) {
                String value = globals.get(Bytecode.constant(p, Lua.GETARG_C(i)));
                if (value != null) reg[a] = LITERAL + value;
              }
            }
            case Lua.OP_GETUPVAL -> {
              int b = Lua.GETARG_B(i);
              reg[a] = b < upvalues.length && upvalues[b] != null ? LITERAL + upvalues[b] : null;
            }
            case Lua.OP_GETTABLE ->
                reg[a] = field(reg[Lua.GETARG_B(i)], Bytecode.constant(p, Lua.GETARG_C(i)));
            case Lua.OP_LOADK -> {
              LuaValue k = p.k[Lua.GETARG_Bx(i)];
              reg[a] = k.type() == LuaValue.TSTRING ? LITERAL + k.tojstring() : null;
            }
            case Lua.OP_MOVE -> {
              int b = Lua.GETARG_B(i);
              String constant = locals.at(b, pc);
              reg[a] = reg[b] != null ? reg[b] : constant == null ? null : LITERAL + constant;
            }
            case Lua.OP_CLOSURE -> {
              Prototype child = p.p[Lua.GETARG_Bx(i)];
              String[] captured = new String[child.upvalues.length];
              for (int u = 0; u < captured.length; u++) {
                var desc = child.upvalues[u];
                captured[u] =
                    desc.instack
                        ? locals.at(desc.idx, pc)
                        : desc.idx < upvalues.length ? upvalues[desc.idx] : null;
              }
              childUpvalues[Lua.GETARG_Bx(i)] = captured;
              Bytecode.forget(reg, a);
            }
            case Lua.OP_CALL, Lua.OP_TAILCALL -> {
              if (SELECT.equals(reg[a])
                  && Lua.GETARG_B(i) != 1
                  && reg[a + 1] != null
                  && reg[a + 1].startsWith(LITERAL))
                found.add(
                    new PoolLiteral(Bytecode.line(p, pc), reg[a + 1].substring(LITERAL.length())));
              Bytecode.forget(reg, a);
              // the call may run a closure that assigns a local of this function
              for (int r = 0; r < a; r++) if (locals.assignedByClosure(r)) reg[r] = null;
            }
            // everything else may write R(A) and above (or uses A as a flag): forget them
            default -> Bytecode.forget(reg, a);
          }
        });
    for (int c = 0; c < p.p.length; c++) {
      Prototype child = p.p[c];
      String[] captured =
          childUpvalues[c] != null ? childUpvalues[c] : new String[child.upvalues.length];
      scan(child, Bytecode.childEnv(child, env), captured, globals, found);
    }
  }

  private static String field(String table, String key) {
    if (AVI.equals(table) && "pool".equals(key)) return POOL;
    if (POOL.equals(table) && "select".equals(key)) return SELECT;
    return null;
  }

  /**
   * The globals that every assignment in the chunk sets to one and the same string constant. Any
   * other write with that name as a constant key (another value, a computed value, a field of some
   * table) disqualifies it.
   */
  private static Map<String, String> constantGlobals(Prototype main) {
    Map<String, String> values = new HashMap<>();
    List<String> disqualified = new ArrayList<>();
    collectGlobals(main, Bytecode.mainEnv(main), values, disqualified);
    disqualified.forEach(values::remove);
    return values;
  }

  private static void collectGlobals(
      Prototype p, boolean[] env, Map<String, String> values, List<String> disqualified) {
    for (int i : p.code) {
      int op = Lua.GET_OPCODE(i);
      if (op != Lua.OP_SETTABUP && op != Lua.OP_SETTABLE) continue;
      String name = Bytecode.constant(p, Lua.GETARG_B(i));
      if (name == null) continue;
      String value = Bytecode.constant(p, Lua.GETARG_C(i));
      boolean toEnv = op == Lua.OP_SETTABUP && Lua.GETARG_A(i) < env.length && env[Lua.GETARG_A(i)];
      if (!toEnv || value == null) disqualified.add(name);
      else if (values.putIfAbsent(name, value) != null && !values.get(name).equals(value))
        disqualified.add(name);
    }
    for (Prototype child : p.p)
      collectGlobals(child, Bytecode.childEnv(child, env), values, disqualified);
  }

  /**
   * The locals of one function that hold one string constant for their whole scope: initialised by
   * a {@code LOADK} of a string, never written again, and not captured by a closure that assigns
   * upvalues.
   */
  private static final class ConstantLocals {
    private final int[] register;
    private final int[] from;
    private final int[] to;
    private final String[] value;
    private final boolean[] assignedByClosure;

    ConstantLocals(Prototype p) {
      assignedByClosure = new boolean[p.maxstacksize + 1];
      for (int i : p.code)
        if (Lua.GET_OPCODE(i) == Lua.OP_CLOSURE)
          for (var desc : p.p[Lua.GETARG_Bx(i)].upvalues)
            if (desc.instack
                && desc.idx < assignedByClosure.length
                && assigns(p.p[Lua.GETARG_Bx(i)])) assignedByClosure[desc.idx] = true;
      int n = p.locvars == null ? 0 : p.locvars.length;
      register = new int[n];
      from = new int[n];
      to = new int[n];
      value = new String[n];
      for (int v = 0; v < n; v++) {
        var local = p.locvars[v];
        int r = 0;
        for (int w = 0; w < v; w++)
          if (p.locvars[w].startpc <= local.startpc && p.locvars[w].endpc > local.startpc) r++;
        register[v] = r;
        from[v] = local.startpc;
        to[v] = local.endpc;
        value[v] = constantInitialiser(p, local.startpc, local.endpc, r);
      }
    }

    /** True when some closure of this function may assign the local in register {@code r}. */
    boolean assignedByClosure(int r) {
      return r < assignedByClosure.length && assignedByClosure[r];
    }

    /** The constant that register {@code r} holds at {@code pc}, or null. */
    String at(int r, int pc) {
      for (int v = 0; v < register.length; v++)
        if (register[v] == r && from[v] <= pc && pc < to[v]) return value[v];
      return null;
    }

    private static String constantInitialiser(Prototype p, int start, int end, int r) {
      if (start < 1 || start > p.code.length) return null;
      int init = p.code[start - 1];
      if (Lua.GET_OPCODE(init) != Lua.OP_LOADK || Lua.GETARG_A(init) != r) return null;
      LuaValue k = p.k[Lua.GETARG_Bx(init)];
      if (k.type() != LuaValue.TSTRING) return null;
      for (int pc = start; pc < Math.min(end, p.code.length); pc++) {
        int i = p.code[pc];
        if (mayWrite(i, r)) return null;
        if (Lua.GET_OPCODE(i) == Lua.OP_CLOSURE && capturesAndAssigns(p.p[Lua.GETARG_Bx(i)], r))
          return null;
      }
      return k.tojstring();
    }

    private static boolean capturesAndAssigns(Prototype child, int r) {
      for (var desc : child.upvalues) if (desc.instack && desc.idx == r) return assigns(child);
      return false;
    }

    /** True when {@code p} or a function inside it assigns any upvalue. */
    private static boolean assigns(Prototype p) {
      for (int i : p.code) if (Lua.GET_OPCODE(i) == Lua.OP_SETUPVAL) return true;
      for (Prototype child : p.p) if (assigns(child)) return true;
      return false;
    }

    /** True when instruction {@code i} may write register {@code r}. */
    private static boolean mayWrite(int i, int r) {
      int a = Lua.GETARG_A(i);
      int b = Lua.GETARG_B(i);
      int c = Lua.GETARG_C(i);
      return switch (Lua.GET_OPCODE(i)) {
        case Lua.OP_SETTABUP,
            Lua.OP_SETTABLE,
            Lua.OP_SETUPVAL,
            Lua.OP_SETLIST,
            Lua.OP_EQ,
            Lua.OP_LT,
            Lua.OP_LE,
            Lua.OP_TEST,
            Lua.OP_JMP,
            Lua.OP_RETURN ->
            false;
        case Lua.OP_LOADNIL -> a <= r && r <= a + b;
        case Lua.OP_CALL -> c == 0 ? r >= a : a <= r && r <= a + c - 2;
        case Lua.OP_VARARG -> b == 0 ? r >= a : a <= r && r <= a + b - 2;
        case Lua.OP_TFORCALL -> a + 3 <= r && r <= a + 2 + c;
        case Lua.OP_SELF -> r == a || r == a + 1;
        case Lua.OP_FORPREP, Lua.OP_FORLOOP -> a <= r && r <= a + 3;
        case Lua.OP_TAILCALL -> r >= a;
        default -> r == a;
      };
    }
  }
}
