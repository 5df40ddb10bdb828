package dev.limpet.dataplane.script;

/**
 * Why one DataScript run failed: what the structured log record and the error metric carry.
 *
 * @param reason {@code error} for a Lua error, else the limit: {@code instructions}, {@code
 *     wall_clock}, {@code memory} (also an OutOfMemoryError) or {@code call_depth}; {@code
 *     internal} for any other Java error thrown inside the run
 * @param line the script line, 0 if unknown
 * @param message the error as Lua reports it, with its position
 * @param luaStack Lua's {@code stack traceback:} text
 */
public record ScriptFailure(
    String virtualService,
    String dataScript,
    ScriptEvent event,
    String reason,
    int line,
    String message,
    String luaStack) {}
