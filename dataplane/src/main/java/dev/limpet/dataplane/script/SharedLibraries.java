package dev.limpet.dataplane.script;

import java.util.List;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.Bit32Lib;
import org.luaj.vm2.lib.OsLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * The standard libraries a DataScript may use: {@code string}, {@code table}, {@code math}, {@code
 * bit32} and {@code os.time/clock/date}. Their functions keep no state, so one read-only copy
 * serves every thread; it has to, since LuaJ keeps the string metatable in a static field.
 */
final class SharedLibraries {
  static final ReadOnlyTable STRING;
  static final ReadOnlyTable TABLE;
  static final ReadOnlyTable MATH;
  static final ReadOnlyTable BIT32;
  static final ReadOnlyTable OS;

  /** The metatable of every string ({@code ("x"):upper()}); scripts cannot change it. */
  static final ReadOnlyTable STRING_METATABLE;

  static {
    Globals scratch = new Globals();
    scratch.load(new BaseLib());
    scratch.load(new PackageLib()); // the libraries register in package.loaded
    scratch.load(new StringLib());
    scratch.load(new TableLib());
    scratch.load(new JseMathLib());
    scratch.load(new Bit32Lib());
    scratch.load(new OsLib());
    LuaTable string = (LuaTable) scratch.get("string");
    STRING =
        new ReadOnlyTable(
            AviStrings.addTo(
                PatternFunctions.install(BoundedCalls.boundString(BoundedStrings.bound(string)))));
    LuaTable table = (LuaTable) scratch.get("table");
    TABLE = new ReadOnlyTable(BoundedCalls.boundTable(BoundedStrings.boundTable(table)));
    MATH = new ReadOnlyTable(SharedRandom.replace((LuaTable) scratch.get("math")));
    BIT32 = new ReadOnlyTable((LuaTable) scratch.get("bit32"));
    OS =
        new ReadOnlyTable(
            BoundedCalls.boundOs(
                only((LuaTable) scratch.get("os"), List.of("time", "clock", "date"))));
    LuaTable meta = new LuaTable();
    meta.rawset(LuaValue.INDEX, STRING);
    STRING_METATABLE = new ReadOnlyTable(meta);
    installStringMetatable();
  }

  private SharedLibraries() {}

  /**
   * Makes the string metatable ours again. Any code in the process that loads LuaJ's StringLib
   * replaces this static with a writable table; runs call this first so that never reaches a
   * script.
   */
  static void installStringMetatable() {
    if (LuaString.s_metatable != STRING_METATABLE) LuaString.s_metatable = STRING_METATABLE;
  }

  static LuaTable only(LuaTable library, List<String> names) {
    LuaTable kept = new LuaTable();
    for (String name : names) kept.rawset(name, library.rawget(name));
    return kept;
  }
}
