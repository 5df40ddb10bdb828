package dev.limpet.dataplane.upstream.health;

/**
 * Turns one monitor's probe results for one server into a verdict that flips only after enough
 * contrary results in a row: {@code failedChecks} failures take a passing verdict to failing,
 * {@code successfulChecks} passes bring it back. Starts passing. Not thread-safe: one check's
 * results arrive on one event loop.
 */
final class CheckStreak {
  private final int successfulChecks;
  private final int failedChecks;
  private boolean passing = true;
  private int contrary;

  CheckStreak(int successfulChecks, int failedChecks) {
    this.successfulChecks = successfulChecks;
    this.failedChecks = failedChecks;
  }

  /** Records a result; true when it flipped the verdict. */
  boolean record(boolean passed) {
    if (passed == passing) {
      contrary = 0;
      return false;
    }
    contrary++;
    if (contrary < (passed ? successfulChecks : failedChecks)) return false;
    passing = passed;
    contrary = 0;
    return true;
  }

  boolean passing() {
    return passing;
  }
}
