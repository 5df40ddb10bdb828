package dev.limpet.dataplane.persistence;

/**
 * Hears every change a caller made to a {@link PersistenceTable} on this replica, so replication
 * can forward it. Not called for expiry, eviction or {@link PersistenceTable#applyRemote}: every
 * replica expires and bounds its own copy, and a replicated change is not sent on. Called on the
 * thread that made the change, after the change; must be quick and must not throw.
 */
public interface TableListener {
  /**
   * {@code key} now holds {@code entry}: a new key, a new value or a later expiry, or a removal
   * ({@link PersistenceTable.Entry#removed()}).
   */
  void changed(String table, String key, PersistenceTable.Entry entry);
}
