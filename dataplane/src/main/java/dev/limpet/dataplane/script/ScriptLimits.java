package dev.limpet.dataplane.script;

import dev.limpet.contract.ScriptLimitsConfig;
import java.time.Duration;

/**
 * What one DataScript may spend in one event run. Exceeding any of them aborts the run with an
 * error the script cannot catch.
 *
 * @param instructions Lua VM instructions (default 1,000,000). Library functions that loop inside
 *     Java count too: each step of the pattern matcher ({@code find}, {@code match}, {@code
 *     gmatch}, {@code gsub}) is one, and a function that builds a large value charges one per
 *     {@value #BYTES_PER_INSTRUCTION} bytes it builds
 * @param wallClock elapsed time, checked every 1,024 instructions (default 200 ms)
 * @param callDepth nested Lua calls (default 200), well below what a thread's stack holds
 * @param allocatedBytes bytes the run's thread allocates, garbage included (default 64 MiB),
 *     checked every 1,024 instructions
 * @param maxStringBytes the longest string a single operation may build: {@code ..}, {@code
 *     string.rep}, {@code string.format}, {@code string.gsub}, {@code table.concat} (default 4 MiB)
 * @param maxResults the most values one call may return: {@code unpack}, {@code table.unpack},
 *     {@code string.byte} (default 100,000; Lua's own stack limit is 1,000,000)
 * @param maxDateFormatBytes the longest {@code os.date} format (default 256)
 */
public record ScriptLimits(
    long instructions,
    Duration wallClock,
    int callDepth,
    long allocatedBytes,
    int maxStringBytes,
    int maxResults,
    int maxDateFormatBytes) {

  /** The default longest string any single operation may build. */
  public static final int MAX_STRING_BYTES = 4 << 20;

  /** What a library function that builds a value charges per instruction of the budget. */
  static final int BYTES_PER_INSTRUCTION = 64;

  public static final ScriptLimits DEFAULT =
      new ScriptLimits(1_000_000, Duration.ofMillis(200), 200, 64L << 20);

  public ScriptLimits {
    if (instructions <= 0
        || callDepth <= 0
        || allocatedBytes <= 0
        || wallClock.isNegative()
        || maxStringBytes <= 0
        || maxResults <= 0
        || maxDateFormatBytes <= 0)
      throw new IllegalArgumentException("script limits must be positive");
  }

  /** The run limits, with the library bounds at their defaults. */
  public ScriptLimits(long instructions, Duration wallClock, int callDepth, long allocatedBytes) {
    this(instructions, wallClock, callDepth, allocatedBytes, MAX_STRING_BYTES, 100_000, 256);
  }

  /** The limits a configuration asks for. */
  public static ScriptLimits of(ScriptLimitsConfig config) {
    return new ScriptLimits(
        config.maxInstructions(),
        Duration.ofMillis(config.wallClockMs()),
        config.maxCallDepth(),
        (long) config.maxAllocatedMb() << 20,
        config.maxStringBytes(),
        config.maxResults(),
        config.maxDateFormatBytes());
  }

  public ScriptLimits withInstructions(long instructions) {
    return new ScriptLimits(
        instructions,
        wallClock,
        callDepth,
        allocatedBytes,
        maxStringBytes,
        maxResults,
        maxDateFormatBytes);
  }

  public ScriptLimits withMaxResults(int maxResults) {
    return new ScriptLimits(
        instructions,
        wallClock,
        callDepth,
        allocatedBytes,
        maxStringBytes,
        maxResults,
        maxDateFormatBytes);
  }
}
