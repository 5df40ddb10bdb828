package dev.limpet.dataplane.script;

/**
 * Ends the script for this event after {@code avi.http.response} or {@code avi.http.redirect},
 * whose reply is already recorded. An {@link Error} so that {@code pcall} cannot swallow it.
 */
final class ScriptExit extends Error {
  private static final long serialVersionUID = 1L;
  static final ScriptExit INSTANCE = new ScriptExit();

  private ScriptExit() {
    super("script ended by a local reply", null, false, false);
  }
}
