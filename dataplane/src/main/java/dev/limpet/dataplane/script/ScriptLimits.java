package dev.limpet.dataplane.script;

import dev.limpet.dataplane.config.ScriptLimitsConfig;
import java.time.Duration;

/**
 * What one DataScript may spend in one event run. Exceeding any of them aborts the run with an
 * error the script cannot catch.
 *
 * @param instructions Lua VM instructions (default 1,000,000)
 * @param wallClock elapsed time, checked every 1,024 instructions (default 200 ms)
 * @param callDepth nested Lua calls (default 200), well below what a thread's stack holds
 * @param allocatedBytes bytes the run's thread allocates, garbage included (default 64 MiB),
 *     checked every 1,024 instructions
 */
public record ScriptLimits(
    long instructions, Duration wallClock, int callDepth, long allocatedBytes) {
  public static final ScriptLimits DEFAULT =
      new ScriptLimits(1_000_000, Duration.ofMillis(200), 200, 64L << 20);

  /** The longest string any single operation may build (concatenation, rep, format, ...). */
  public static final int MAX_STRING_BYTES = 4 << 20;

  public ScriptLimits {
    if (instructions <= 0 || callDepth <= 0 || allocatedBytes <= 0 || wallClock.isNegative())
      throw new IllegalArgumentException("script limits must be positive");
  }

  /** The limits a configuration asks for. */
  public static ScriptLimits of(ScriptLimitsConfig config) {
    return new ScriptLimits(
        config.maxInstructions(),
        Duration.ofMillis(config.wallClockMs()),
        config.maxCallDepth(),
        (long) config.maxAllocatedMb() << 20);
  }

  public ScriptLimits withInstructions(long instructions) {
    return new ScriptLimits(instructions, wallClock, callDepth, allocatedBytes);
  }
}
