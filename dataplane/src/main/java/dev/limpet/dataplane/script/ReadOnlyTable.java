package dev.limpet.dataplane.script;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * A Lua table no script can change, as in LuaJ's {@code SampleSandboxed}: the libraries, the {@code
 * avi} namespaces and every metatable they share with other requests.
 */
final class ReadOnlyTable extends LuaTable {
  /** False while the constructor fills the table (LuaTable's own rawset calls hashset). */
  private final boolean sealed;

  /** A read-only copy of {@code source}; nested tables are copied read-only as well. */
  ReadOnlyTable(LuaTable source) {
    this(source, null);
  }

  /** As above, with a (read-only) metatable, e.g. an {@code __index} computed per request. */
  ReadOnlyTable(LuaTable source, ReadOnlyTable metatable) {
    for (Varargs n = source.next(NIL); !n.arg1().isnil(); n = source.next(n.arg1())) {
      LuaValue key = n.arg1();
      if (key instanceof LuaString name) key = InternedNames.intern(name);
      LuaValue value = n.arg(2);
      boolean copy = value.istable() && !(value instanceof ReadOnlyTable);
      super.rawset(key, copy ? new ReadOnlyTable((LuaTable) value) : value);
    }
    if (metatable != null) super.setmetatable(metatable);
    sealed = true;
  }

  private void refuseIfSealed() {
    if (sealed) throw new LuaError("attempt to modify a read-only table");
  }

  @Override
  public LuaValue setmetatable(LuaValue metatable) {
    refuseIfSealed();
    return super.setmetatable(metatable);
  }

  @Override
  public void set(int key, LuaValue value) {
    refuseIfSealed();
    super.set(key, value);
  }

  @Override
  public void set(LuaValue key, LuaValue value) {
    refuseIfSealed();
    super.set(key, value);
  }

  @Override
  public void rawset(int key, LuaValue value) {
    refuseIfSealed();
    super.rawset(key, value);
  }

  @Override
  public void rawset(LuaValue key, LuaValue value) {
    refuseIfSealed();
    super.rawset(key, value);
  }

  @Override
  public void hashset(LuaValue key, LuaValue value) {
    refuseIfSealed();
    super.hashset(key, value);
  }

  @Override
  public LuaValue remove(int pos) {
    refuseIfSealed();
    return super.remove(pos);
  }

  @Override
  public void insert(int pos, LuaValue value) {
    refuseIfSealed();
    super.insert(pos, value);
  }

  @Override
  public void sort(LuaValue comparator) {
    refuseIfSealed();
    super.sort(comparator);
  }
}
