package dev.limpet.dataplane.peers;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnect delays: doubling from {@code min} to {@code max}, each drawn at random from its upper
 * half so that replicas that lost a peer together do not come back in step.
 */
final class Backoff {
  private final long minMillis;
  private final long maxMillis;
  private long nextMillis;

  Backoff(Duration min, Duration max) {
    this.minMillis = Math.max(1, min.toMillis());
    this.maxMillis = Math.max(minMillis, max.toMillis());
    this.nextMillis = minMillis;
  }

  /** The delay before the next attempt. */
  long nextDelayMillis() {
    long ceiling = nextMillis;
    nextMillis = Math.min(maxMillis, nextMillis * 2);
    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }

  /** After a connection that worked: start again from {@code min}. */
  void reset() {
    nextMillis = minMillis;
  }
}
