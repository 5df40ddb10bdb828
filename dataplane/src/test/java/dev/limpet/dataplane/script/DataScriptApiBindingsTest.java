package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.DataScriptApi;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * The compiler refuses any name {@link DataScriptApi} does not list: the data plane must bind
 * exactly those names, or a script would pass the check and then call nil.
 */
@Timeout(10)
class DataScriptApiBindingsTest {
  private static Set<String> keys(LuaValue table) {
    Set<String> keys = new TreeSet<>();
    for (LuaValue k : ((LuaTable) table).keys()) keys.add(k.tojstring());
    return keys;
  }

  /** The namespaces directly below {@code parent} ({@code utils} below {@code avi}). */
  private static Set<String> children(String parent) {
    Set<String> names = new TreeSet<>();
    for (String ns : DataScriptApi.FUNCTIONS.keySet())
      if (ns.startsWith(parent + ".") && ns.indexOf('.', parent.length() + 1) < 0)
        names.add(ns.substring(parent.length() + 1));
    return names;
  }

  @Test
  void theAviTableHoldsExactlyTheListedNamespacesFunctionsAndConstants() {
    LuaTable avi =
        Avi.table(
            () -> {
              throw new AssertionError("nothing runs");
            });
    Set<String> top = new HashSet<>(DataScriptApi.CONSTANTS.keySet());
    top.addAll(children("avi"));
    assertThat(keys(avi)).isEqualTo(new TreeSet<>(top));
    DataScriptApi.FUNCTIONS.forEach(
        (ns, functions) -> {
          LuaValue table = avi;
          for (String part : ns.substring("avi.".length()).split("\\.")) table = table.get(part);
          Set<String> expected = new TreeSet<>(functions);
          expected.addAll(children(ns));
          assertThat(keys(table)).as(ns).isEqualTo(expected);
        });
    DataScriptApi.CONSTANTS.forEach(
        (name, value) -> assertThat(avi.get(name).toint()).as(name).isEqualTo(value));
  }

  @Test
  void noRefusedFunctionIsBoundAndEveryFunctionOnceRefusedForBodiesOrCountsIs() {
    LuaTable avi =
        Avi.table(
            () -> {
              throw new AssertionError("nothing runs");
            });
    DataScriptApi.REFUSED
        .keySet()
        .forEach(
            path -> {
              LuaValue table = avi;
              String[] parts = path.substring("avi.".length()).split("\\.");
              for (int i = 0; i < parts.length - 1 && !table.isnil(); i++)
                table = table.get(parts[i]);
              assertThat(table.isnil() || table.get(parts[parts.length - 1]).isnil())
                  .as(path)
                  .isTrue();
            });
    for (String path :
        new String[] {
          "http.get_req_body", "http.internal_status", "vs.get_open_conns", "vs.se_count"
        }) {
      String[] parts = path.split("\\.");
      assertThat(avi.get(parts[0]).get(parts[1]).isfunction()).as(path).isTrue();
      assertThat(DataScriptApi.problem("avi." + path)).as(path).isNull();
    }
  }

  @Test
  void theStringTableHoldsLuasFunctionsAndAvisAdditions() {
    Set<String> expected = new TreeSet<>(DataScriptApi.LUA_STRING);
    expected.addAll(DataScriptApi.AVI_STRING);
    assertThat(keys(SharedLibraries.STRING)).isEqualTo(expected);
  }
}
