package dev.limpet.dataplane.persistence;

/**
 * Hears every change a caller made to a {@link PersistenceTable} on this replica, so replication
 * can forward it. Not called for expiry or eviction: every replica expires and bounds its own copy.
 * Called on the thread that made the change, after the change; must be quick and must not throw.
 */
public interface TableListener {
  /** {@code key} now holds {@code entry} (a new key, a new value or a later expiry). */
  void onUpsert(String table, String key, PersistenceTable.Entry entry);

  /** {@code key} was removed by a caller. */
  void onRemove(String table, String key);
}
