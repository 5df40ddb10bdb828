package dev.limpet.dataplane.script;

/**
 * One string-to-string table with per-entry expiry. Every extension follows Limpet's rule: the new
 * expiry is {@code max(current expiry, now + extension)}, so it never moves backwards and replicas
 * converge whatever order updates arrive in.
 */
public interface ScriptTable {
  /**
   * Stores {@code value} under {@code key} unless the key is present, in which case its value stays
   * and only its expiry is extended by {@code lifetimeMillis}.
   *
   * @return true if the key is present afterwards, false if it could not be stored (table full)
   */
  boolean insert(String key, String value, long lifetimeMillis);

  /**
   * The live entry under {@code key}, its expiry first extended by {@code extendMillis} (0: read
   * without touching); null if absent or expired.
   */
  Entry lookup(String key, long extendMillis);

  /** The value of {@link #lookup}'s entry alone, or null. */
  default String lookupValue(String key, long extendMillis) {
    Entry entry = lookup(key, extendMillis);
    return entry == null ? null : entry.value();
  }

  /** Extends the expiry of {@code key}; false if it is absent or expired. */
  boolean refresh(String key, long extendMillis);

  /** Removes {@code key} (on every replica). */
  void remove(String key);

  /** A live entry: its value and the time it has left. */
  record Entry(String value, long remainingMillis) {}
}
