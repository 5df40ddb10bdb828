package dev.limpet.dataplane.script;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes the one structured log record of a failed DataScript run. */
final class ScriptFailureLog {
  private static final Logger LOG =
      LoggerFactory.getLogger("dev.limpet.dataplane.script.DataScript");

  private ScriptFailureLog() {}

  static void log(ScriptFailure f) {
    LOG.atError()
        .addKeyValue("virtualService", f.virtualService())
        .addKeyValue("dataScript", f.dataScript())
        .addKeyValue("event", f.event().name())
        .addKeyValue("reason", f.reason())
        .addKeyValue("line", f.line())
        .addKeyValue("luaStack", f.luaStack())
        .log(
            "DataScript {} failed in {} at line {}: {}",
            f.dataScript(),
            f.event(),
            f.line(),
            f.message());
  }
}
