package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.DataScriptCompiler;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;

/** Library keys and script constants that are equal are one object, so lookups match at once. */
class InternedNamesTest {
  private static LuaString fresh(String s) {
    // a distinct object each time: LuaJ's own cache of recent strings takes arrays up to 32 bytes
    byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
    return LuaString.valueUsing(Arrays.copyOf(bytes, Math.max(bytes.length, 33)), 0, bytes.length);
  }

  @Test
  void aLibraryKeyAndAScriptConstantOfTheSameNameAreOneObject() {
    LuaTable source = new LuaTable();
    source.rawset(fresh("interned_name_test"), LuaValue.TRUE);
    LuaValue key = new ReadOnlyTable(source).next(LuaValue.NIL).arg1();

    var compiled =
        (DataScriptCompiler.Compiled)
            DataScriptCompiler.compile(
                "s", "httpRequest", "local f = function() return lib.interned_name_test end");
    Prototype main = compiled.prototype();
    InternedNames.internConstants(main);
    LuaValue constant =
        Arrays.stream(main.p[0].k)
            .filter(k -> k.tojstring().equals("interned_name_test"))
            .findFirst()
            .orElseThrow();

    assertThat(constant).isSameAs(key);
    assertThat(InternedNames.intern(fresh("interned_name_test"))).isSameAs(key);
  }

  @Test
  void longStringsStayAsTheyAre() {
    LuaString data = fresh("x".repeat(41));
    assertThat(InternedNames.intern(data)).isSameAs(data);
    assertThat(InternedNames.intern(fresh("x".repeat(41)))).isNotSameAs(data);
  }
}
