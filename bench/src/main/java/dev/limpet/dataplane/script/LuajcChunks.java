package dev.limpet.dataplane.script;

import dev.limpet.contract.DataScriptCompiler;
import dev.limpet.contract.DataScriptConfig;
import java.lang.reflect.Constructor;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.luajc.LuaJC;

/**
 * Compiles a DataScript with luajc, LuaJ's Lua-to-Java-bytecode compiler, into the same {@link
 * CompiledDataScript} shape the interpreter uses: the class is generated once, and each run makes a
 * fresh instance bound to the transaction's environment.
 */
final class LuajcChunks {
  private LuajcChunks() {}

  static CompiledDataScript compile(DataScriptConfig config) throws Exception {
    Map<ScriptEvent, ScriptChunk> chunks = new EnumMap<>(ScriptEvent.class);
    for (ScriptEvent event : ScriptEvent.values()) {
      String source = event.source(config.events());
      if (source == null) continue;
      var compiled =
          (DataScriptCompiler.Compiled)
              DataScriptCompiler.compile(config.name(), event.specKey(), source);
      chunks.put(event, chunk(compiled.prototype(), config.name() + "_" + event.specKey()));
    }
    Map<String, String> pools = new HashMap<>();
    for (var ref : config.pools()) pools.put(ref.scriptName(), ref.pool());
    return new CompiledDataScript(config.name(), chunks, pools, Map.of(), Map.of(), List.of());
  }

  static ScriptChunk chunk(Prototype prototype, String name) throws Exception {
    LuaFunction template = LuaJC.instance.load(prototype, name, LuaValue.NIL);
    Constructor<? extends LuaFunction> constructor = template.getClass().getConstructor();
    return environment -> {
      try {
        LuaFunction main = constructor.newInstance();
        main.initupvalue1(environment);
        main.call();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    };
  }
}
