package dev.limpet.contract;

/** Checks the limits every DataScript runs under against the bounds Limpet accepts. */
final class ScriptLimitsValidator {
  private final ConfigProblems problems;

  ScriptLimitsValidator(ConfigProblems problems) {
    this.problems = problems;
  }

  void check(ScriptLimitsConfig limits) {
    problems.range("scriptLimits.maxInstructions", limits.maxInstructions(), 1_000, 1_000_000_000);
    problems.range("scriptLimits.wallClockMs", limits.wallClockMs(), 1, 60_000);
    problems.range("scriptLimits.maxCallDepth", limits.maxCallDepth(), 10, 10_000);
    problems.range("scriptLimits.maxAllocatedMb", limits.maxAllocatedMb(), 1, 4_096);
    problems.range("scriptLimits.maxStringBytes", limits.maxStringBytes(), 1_024, 256 << 20);
    problems.range("scriptLimits.maxResults", limits.maxResults(), 100, 1_000_000);
    problems.range("scriptLimits.maxDateFormatBytes", limits.maxDateFormatBytes(), 16, 65_536);
    problems.range("scriptLimits.maxScriptBodyBytes", limits.maxScriptBodyBytes(), 1_024, 32 << 20);
  }
}
