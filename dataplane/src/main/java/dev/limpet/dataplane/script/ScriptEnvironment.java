package dev.limpet.dataplane.script;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * The global table of one DataScript in one transaction: what the script assigns lands here and
 * lives until the transaction ends; everything else is read through to the thread's sandbox. A
 * plain table: the interpreter calls the hooks of the thread's {@link ScriptSandbox#hooks()}, given
 * to each closure apart from its environment (see {@link MainClosure}).
 */
final class ScriptEnvironment extends LuaTable {
  private static final LuaString G = LuaValue.valueOf("_G");
  private LuaValue boundTo;
  private LuaTable library;

  /**
   * True once a key other than {@code _G} was stored (every store into the hash part goes through
   * {@link #hashset}, and this table has no array part until then): until then a global read of
   * another name is the library's, without a miss here first.
   */
  private boolean ownKeys;

  ScriptEnvironment() {
    // sized for _G and a few globals: a table made empty grows (rehashes) at its first key
    super(0, 4);
    rawset(G, this);
    ownKeys = false;
  }

  @Override
  public void hashset(LuaValue key, LuaValue value) {
    ownKeys = true;
    super.hashset(key, value);
  }

  /** Reads through to the library tables of the sandbox of the thread about to run it. */
  void bindTo(ScriptSandbox sandbox) {
    LuaValue meta = sandbox.environmentMetatable();
    if (meta != boundTo) {
      setmetatable(meta);
      boundTo = meta;
      library = sandbox.library();
    }
  }

  /**
   * What the metatable's {@code __index} gives, without walking it: the metatable is protected
   * ({@code __metatable} is false, so no script replaces it) and its {@code __index} is the
   * sandbox's read-only library table, which has no metatable of its own.
   */
  @Override
  public LuaValue get(LuaValue key) {
    LuaTable lib = library;
    if (!ownKeys && lib != null && !G.raweq(key)) return lib.rawget(key);
    LuaValue value = rawget(key);
    return value.isnil() && lib != null ? lib.rawget(key) : value;
  }
}
