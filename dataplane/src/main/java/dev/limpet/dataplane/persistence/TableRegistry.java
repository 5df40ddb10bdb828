package dev.limpet.dataplane.persistence;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The persistence state that outlives configuration reloads: the named tables and, for ClientIP
 * profiles, the open connections per key. Keep one for the process and build each reload's {@link
 * Persistence} objects over it. Safe to use from any thread.
 */
public final class TableRegistry {
  private final LongSupplier clock;
  private final HybridClock versions;
  private final ConcurrentHashMap<String, PersistenceTable> tables = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<TableListener> listeners = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, LiveConnections> connections = new ConcurrentHashMap<>();
  private volatile int maxEntriesPerTable;

  /**
   * @param maxEntriesPerTable {@code TablesConfig.maxEntriesPerTable()}
   * @param clock epoch milliseconds, {@code System::currentTimeMillis} outside tests
   */
  public TableRegistry(int maxEntriesPerTable, LongSupplier clock) {
    this(maxEntriesPerTable, clock, "");
  }

  /**
   * @param replicaId this replica's name, which makes its table writes' versions its own
   */
  public TableRegistry(int maxEntriesPerTable, LongSupplier clock, String replicaId) {
    this.clock = clock;
    this.versions = new HybridClock(clock, replicaId);
    this.maxEntriesPerTable = maxEntriesPerTable;
  }

  /** The name of the table a native persistence profile keeps for one pool. */
  public static String profileTableName(String profileName, String poolName) {
    return "persistence/" + profileName + "/" + poolName;
  }

  /** The table named {@code name}, created empty on first use. */
  public PersistenceTable table(String name) {
    PersistenceTable table = tables.get(name);
    if (table != null) return table;
    table =
        tables.computeIfAbsent(
            name, n -> new PersistenceTable(n, maxEntriesPerTable, clock, versions));
    // after the table is in the map: a listener added meanwhile either is in the list now or
    // found the table there
    listeners.forEach(table::addListenerIfAbsent);
    return table;
  }

  /** The tables there are now. */
  public Collection<PersistenceTable> tables() {
    return tables.values();
  }

  /** Hears the changes of every table, those there are and those created later. */
  public void addListener(TableListener listener) {
    listeners.addIfAbsent(listener);
    tables.values().forEach(t -> t.addListenerIfAbsent(listener));
  }

  public void removeListener(TableListener listener) {
    listeners.remove(listener);
    tables.values().forEach(t -> t.removeListener(listener));
  }

  /** Applies a reloaded bound to every table, present and future. */
  public void maxEntriesPerTable(int maxEntries) {
    maxEntriesPerTable = maxEntries;
    tables.values().forEach(t -> t.maxEntries(maxEntries));
  }

  /**
   * Removes expired entries from every table.
   *
   * @return how many were removed
   */
  public int sweepAll() {
    return tables.values().stream().mapToInt(PersistenceTable::sweep).sum();
  }

  /** Entries per table, by table name. */
  public Map<String, Integer> sizes() {
    Map<String, Integer> sizes = new TreeMap<>();
    tables.forEach((name, table) -> sizes.put(name, table.size()));
    return sizes;
  }

  /**
   * Drops every table (with its contents) that {@code keep} rejects: tables no configuration uses.
   */
  public void retain(Predicate<String> keep) {
    tables.keySet().removeIf(keep.negate());
    connections.keySet().removeIf(keep.negate());
  }

  /** The open-connection counts kept beside table {@code tableName}. */
  LiveConnections connections(String tableName) {
    return connections.computeIfAbsent(tableName, n -> new LiveConnections());
  }
}
