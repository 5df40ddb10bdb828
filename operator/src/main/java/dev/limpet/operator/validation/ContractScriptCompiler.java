package dev.limpet.operator.validation;

import dev.limpet.contract.DataScriptCompiler;
import dev.limpet.contract.DataScriptConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The data plane's own compiler: what compiles here compiles there, with the same messages. */
public final class ContractScriptCompiler implements ScriptCompiler {

  @Override
  public Optional<String> firstError(DataScriptConfig script) {
    for (Map.Entry<String, String> event : sources(script).entrySet()) {
      if (event.getValue() == null) continue;
      var result = DataScriptCompiler.compile(script.name(), event.getKey(), event.getValue());
      if (result instanceof DataScriptCompiler.SyntaxError error)
        return Optional.of(event.getKey() + " " + error);
    }
    return Optional.empty();
  }

  /** The sources by spec key, in event order. */
  static Map<String, String> sources(DataScriptConfig script) {
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put("httpRequest", script.events().httpRequest());
    sources.put("httpResponse", script.events().httpResponse());
    sources.put("httpResponseFailed", script.events().httpResponseFailed());
    return sources;
  }
}
