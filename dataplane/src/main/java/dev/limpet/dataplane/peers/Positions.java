package dev.limpet.dataplane.peers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far this replica's tables hold each peer incarnation's changes: every change numbered up to
 * the position is applied, received directly or inside a full resync. A full resync carries the
 * sender's positions, so that after it this replica can resume from every other peer instead of
 * asking each for a full resync of its own.
 */
final class Positions {
  static final long NONE = -1;
  private final ConcurrentHashMap<Long, Long> applied = new ConcurrentHashMap<>();

  /**
   * The last change of {@code incarnation} applied here (0: its table as it was before its first
   * change), or {@link #NONE} when this replica holds nothing known of it.
   */
  long of(long incarnation) {
    return applied.getOrDefault(incarnation, NONE);
  }

  void advance(long incarnation, long seq) {
    applied.merge(incarnation, seq, Math::max);
  }

  void advanceAll(Map<Long, Long> positions) {
    positions.forEach(this::advance);
  }

  /** A copy, for a full resync about to start: every change it counts is already in the tables. */
  Map<Long, Long> copy() {
    return new LinkedHashMap<>(applied);
  }
}
