package dev.limpet.dataplane.persistence;

/**
 * Expiry times for persistence entries, rounded up to a whole second: refreshing an entry several
 * times within a second then changes nothing after the first, so it costs no write and sends no
 * replication message.
 */
final class Expiry {
  private Expiry() {}

  static long after(long nowMillis, long lifetimeMillis) {
    return Math.floorDiv(nowMillis + lifetimeMillis + 999, 1000) * 1000;
  }
}
