package dev.limpet.dataplane.script;

/**
 * Ends a run that exceeded a limit. An {@link Error}, because LuaJ's {@code pcall} and its VM catch
 * only exceptions: a script cannot catch it. Carries no Java stack (it is thrown on purpose,
 * often).
 */
final class ScriptAbort extends Error {
  private static final long serialVersionUID = 1L;

  /** Which limit was exceeded. */
  enum Kind {
    INSTRUCTIONS,
    WALL_CLOCK,
    MEMORY,
    CALL_DEPTH
  }

  private final Kind kind;
  private final String luaStack;

  ScriptAbort(Kind kind, String message, String luaStack) {
    super(message, null, false, false);
    this.kind = kind;
    this.luaStack = luaStack;
  }

  Kind kind() {
    return kind;
  }

  /** The Lua stack when the limit was hit, or null when it was hit inside a library call. */
  String luaStack() {
    return luaStack;
  }
}
