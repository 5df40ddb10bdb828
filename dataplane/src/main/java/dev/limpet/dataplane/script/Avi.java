package dev.limpet.dataplane.script;

import java.util.function.Supplier;
import org.luaj.vm2.LuaTable;

/** Assembles the global {@code avi} table of one sandbox from the namespace binders. */
final class Avi {
  private Avi() {}

  static ReadOnlyTable table(Supplier<ScriptRun> runs) {
    LuaTable avi = new LuaTable();
    AviConstants.addTo(avi);
    avi.rawset("vs", AviVsBinder.bind(runs));
    avi.rawset("http", AviHttpBinder.bind(runs));
    avi.rawset("pool", AviPoolBinder.bind(runs));
    avi.rawset("utils", AviUtilsBinder.bind(runs));
    avi.rawset("ssl", AviSslBinder.bind(runs));
    avi.rawset("crypto", AviCryptoBinder.bind(runs));
    avi.rawset("ipgroup", AviGroupBinder.ipGroups(runs));
    avi.rawset("stringgroup", AviGroupBinder.stringGroups(runs));
    return new ReadOnlyTable(avi);
  }
}
