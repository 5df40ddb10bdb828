package dev.limpet.contract;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.luaj.vm2.Lua;
import org.luaj.vm2.Prototype;

/**
 * Finds the names a compiled DataScript reads from the globals {@code avi} and {@code string}
 * ({@code avi.http.get_req_body}, {@code string.beginswith}) that {@link DataScriptApi} does not
 * offer, with their lines, so that such a script is refused at load rather than failing every
 * request with {@code attempt to call nil}.
 *
 * <p>It reads bytecode, as {@link PoolLiteralScanner} does: within each basic block it follows
 * which register holds {@code avi} or {@code string} or a constant field chain below them. A name
 * reached another way (a local alias set in another block, a computed key) is not seen; a script
 * that assigns the global {@code avi}, {@code string} or {@code _ENV} is not checked for that
 * global.
 */
public final class ApiNameScanner {
  /** A name the script reads that Limpet does not offer, and why. */
  public record Unavailable(int line, String name, String why) {
    /** {@code line 3: avi.http.get_req_body is not available in Limpet: ...}. */
    @Override
    public String toString() {
      return "line " + line + ": " + why;
    }
  }

  private static final List<String> ROOTS = List.of("avi", "string");

  private ApiNameScanner() {}

  /** Every name of {@code main} and its functions that is not offered, first occurrence first. */
  public static List<Unavailable> scan(Prototype main) {
    List<Unavailable> found = new ArrayList<>();
    walk(main, found, null);
    found.sort((a, b) -> Integer.compare(a.line(), b.line()));
    return List.copyOf(found);
  }

  /**
   * True when {@code main} or one of its functions reads {@code path} (e.g. {@code
   * avi.http.get_req_body}) the way {@link #scan} sees names: the data plane buffers request bodies
   * only for the virtual services whose scripts do.
   */
  public static boolean reads(Prototype main, String path) {
    Set<String> seen = new HashSet<>();
    walk(main, new ArrayList<>(), seen);
    return seen.contains(path);
  }

  private static void walk(Prototype main, List<Unavailable> found, Set<String> seen) {
    List<String> roots = new ArrayList<>();
    for (String root : ROOTS) if (!Bytecode.redefines(main, root)) roots.add(root);
    scan(main, Bytecode.mainEnv(main), roots, found, seen);
  }

  private static void scan(
      Prototype p, boolean[] env, List<String> roots, List<Unavailable> found, Set<String> seen) {
    Bytecode.followRegisters(
        p,
        (pc, i, a, reg) -> {
          switch (Lua.GET_OPCODE(i)) {
            case Lua.OP_GETTABUP -> {
              reg[a] = null;
              for (String root : roots) if (Bytecode.readsGlobal(p, i, env, root)) reg[a] = root;
            }
            case Lua.OP_GETTABLE, Lua.OP_SELF -> {
              String table = reg[Lua.GETARG_B(i)];
              String key = Bytecode.constant(p, Lua.GETARG_C(i));
              String path = table == null || key == null ? null : table + "." + key;
              if (Lua.GET_OPCODE(i) == Lua.OP_SELF) Bytecode.forget(reg, a);
              reg[a] = path;
              if (path != null && seen != null) seen.add(path);
              if (path != null) {
                String why = DataScriptApi.problem(path);
                if (why != null) {
                  found.add(new Unavailable(Bytecode.line(p, pc), path, why));
                  reg[a] = null; // report a chain once, not each name below it
                }
              }
            }
            case Lua.OP_MOVE -> reg[a] = reg[Lua.GETARG_B(i)];
            default -> Bytecode.forget(reg, a);
          }
        });
    for (Prototype child : p.p) scan(child, Bytecode.childEnv(child, env), roots, found, seen);
  }
}
