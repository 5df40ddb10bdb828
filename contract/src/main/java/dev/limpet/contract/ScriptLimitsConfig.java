package dev.limpet.contract;

/**
 * What one DataScript may spend in one event run; 0 or absent means the default. Exceeding any
 * limit ends the run with an error the script cannot catch, and its request gets 500.
 *
 * @param maxInstructions Lua VM instructions (default 1,000,000); the pattern functions count each
 *     matcher step and the functions that build large values a share of their size against it too
 * @param wallClockMs elapsed milliseconds (default 200)
 * @param maxCallDepth nested Lua calls (default 200)
 * @param maxAllocatedMb megabytes the run may allocate, garbage included (default 64)
 * @param maxStringBytes the longest string one operation may build: {@code ..}, {@code string.rep},
 *     {@code string.format}, {@code string.gsub}, {@code table.concat} (default 4 MiB)
 * @param maxResults the most values one call may return: {@code unpack}, {@code table.unpack},
 *     {@code string.byte} (default 100,000)
 * @param maxDateFormatBytes the longest {@code os.date} format (default 256)
 * @param maxScriptBodyBytes how much of a request body is buffered, before HTTP_REQ runs, for a
 *     virtual service whose scripts read it with {@code avi.http.get_req_body} (default 32 KiB); a
 *     longer body is forwarded whole, the scripts see its first bytes
 */
public record ScriptLimitsConfig(
    long maxInstructions,
    int wallClockMs,
    int maxCallDepth,
    int maxAllocatedMb,
    int maxStringBytes,
    int maxResults,
    int maxDateFormatBytes,
    int maxScriptBodyBytes) {
  public static final ScriptLimitsConfig DEFAULT = new ScriptLimitsConfig(0, 0, 0, 0, 0, 0, 0, 0);

  public ScriptLimitsConfig {
    maxInstructions = maxInstructions <= 0 ? 1_000_000 : maxInstructions;
    wallClockMs = Defaults.positive(wallClockMs, 200);
    maxCallDepth = Defaults.positive(maxCallDepth, 200);
    maxAllocatedMb = Defaults.positive(maxAllocatedMb, 64);
    maxStringBytes = Defaults.positive(maxStringBytes, 4 << 20);
    maxResults = Defaults.positive(maxResults, 100_000);
    maxDateFormatBytes = Defaults.positive(maxDateFormatBytes, 256);
    maxScriptBodyBytes = Defaults.positive(maxScriptBodyBytes, 32 << 10);
  }
}
