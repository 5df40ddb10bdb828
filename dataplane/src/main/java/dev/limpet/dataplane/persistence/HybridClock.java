package dev.limpet.dataplane.persistence;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The versions of one replica's table writes: a hybrid logical clock with the replica's tag in the
 * low bits, packed into one long so that an entry carries its version in 8 bytes.
 *
 * <p>Layout: 44 bits of epoch milliseconds, an 8-bit counter for writes within one millisecond, a
 * 12-bit tag of the replica id. A version is greater than every version this replica issued or
 * {@link #observe observed} before, so a write made after seeing another replica's write wins over
 * it whatever the two wall clocks say. More than 256 writes in one millisecond move the clock ahead
 * of the wall clock until writes slow down, as in any hybrid logical clock. Two replicas whose tags
 * collide may issue equal versions; the merge rule then compares values, so the outcome stays the
 * same on every replica.
 */
public final class HybridClock {
  private static final int TAG_BITS = 12;
  private static final int COUNTER_BITS = 8;
  private static final int TIME_SHIFT = TAG_BITS + COUNTER_BITS;
  private static final long TAG_MASK = (1L << TAG_BITS) - 1;
  private static final long TICK = 1L << TAG_BITS;

  private final LongSupplier wallClock;
  private final long tag;
  // the last version issued or observed, tag bits cleared
  private final AtomicLong last = new AtomicLong();

  /**
   * @param wallClock epoch milliseconds
   * @param replicaId this replica's name; its hash becomes the tag
   */
  public HybridClock(LongSupplier wallClock, String replicaId) {
    this.wallClock = wallClock;
    this.tag = tagOf(replicaId);
  }

  /** A version greater than every version issued or observed so far. */
  public long next() {
    long physical = wallClock.getAsLong() << TIME_SHIFT;
    return last.accumulateAndGet(physical, (previous, now) -> Math.max(previous + TICK, now)) | tag;
  }

  /** Takes note of another replica's version, so that later local versions are greater. */
  public void observe(long version) {
    long withoutTag = version & ~TAG_MASK;
    if (withoutTag > last.get()) last.accumulateAndGet(withoutTag, Math::max);
  }

  static long tagOf(String replicaId) {
    return (replicaId.hashCode() * 0x9E3779B9L >>> 20) & TAG_MASK;
  }
}
