package dev.limpet.operator.validation;

import dev.limpet.contract.DataScriptConfig;
import java.util.Optional;

/**
 * Compiles a DataScript's Lua the way the data plane will. The operator does not compile Lua
 * itself: the contract module's DataScript compiler implements this.
 */
@FunctionalInterface
public interface ScriptCompiler {
  /** The first syntax error, naming the event and the line, or empty when every event compiles. */
  Optional<String> firstError(DataScriptConfig script);
}
