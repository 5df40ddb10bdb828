package dev.limpet.dataplane.config;

/**
 * What one DataScript may spend in one event run; 0 or absent means the default. Exceeding any
 * limit ends the run with an error the script cannot catch, and its request gets 500.
 *
 * @param maxInstructions Lua VM instructions (default 1,000,000)
 * @param wallClockMs elapsed milliseconds (default 200)
 * @param maxCallDepth nested Lua calls (default 200)
 * @param maxAllocatedMb megabytes the run may allocate, garbage included (default 64)
 */
public record ScriptLimitsConfig(
    long maxInstructions, int wallClockMs, int maxCallDepth, int maxAllocatedMb) {
  public static final ScriptLimitsConfig DEFAULT = new ScriptLimitsConfig(0, 0, 0, 0);

  public ScriptLimitsConfig {
    maxInstructions = maxInstructions <= 0 ? 1_000_000 : maxInstructions;
    wallClockMs = Defaults.positive(wallClockMs, 200);
    maxCallDepth = Defaults.positive(maxCallDepth, 200);
    maxAllocatedMb = Defaults.positive(maxAllocatedMb, 64);
  }
}
