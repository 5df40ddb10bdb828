package dev.limpet.dataplane.script;

import dev.limpet.dataplane.persistence.PersistenceTable;
import dev.limpet.dataplane.persistence.TableRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The tables of one virtual service, kept in the process's table registry (the one the native
 * profiles use and replication covers) under {@code script/<virtual service>/<table>}.
 */
public final class RegistryScriptTables implements ScriptTables {
  /** The name of the table scripts reach without naming one. */
  public static final String DEFAULT_TABLE = "default";

  /** How much later an insert must make a live entry expire to be written. */
  static final long REFRESH_STEP_MILLIS = 1000;

  /** Named tables whose handle is kept; names past these are resolved per call. */
  private static final int KEPT_NAMES = 64;

  private final TableRegistry registry;
  private final String prefix;
  private final LongSupplier clock;
  private final Table defaultTable;
  private final ConcurrentHashMap<String, Table> named = new ConcurrentHashMap<>();

  public RegistryScriptTables(TableRegistry registry, String virtualService, LongSupplier clock) {
    this.registry = registry;
    this.prefix = prefix(virtualService);
    this.clock = clock;
    this.defaultTable = new Table(prefix + DEFAULT_TABLE);
  }

  /** Every table of {@code virtualService} starts with this. */
  public static String prefix(String virtualService) {
    return "script/" + virtualService + "/";
  }

  @Override
  public ScriptTable defaultTable() {
    return defaultTable;
  }

  @Override
  public ScriptTable named(String name) {
    if (name.equals(DEFAULT_TABLE)) return defaultTable;
    Table table = named.get(name);
    if (table != null) return table;
    // a script may compute names: keep a bounded number of handles
    if (named.size() >= KEPT_NAMES) return new Table(prefix + name);
    return named.computeIfAbsent(name, n -> new Table(prefix + n));
  }

  /**
   * A table by its registry name, looked up in the registry at each call (one hash lookup), as the
   * registry may drop and create it again on a reload.
   */
  private final class Table implements ScriptTable {
    private final String name;

    Table(String name) {
      this.name = name;
    }

    private PersistenceTable table() {
      return registry.table(name);
    }

    /**
     * Scripts insert on every request (Avi's idiom refreshes a session this way), each time with an
     * expiry a few milliseconds later: a live entry whose expiry is less than {@link
     * #REFRESH_STEP_MILLIS} short of the new one is left as it is, so a busy key costs a read, not
     * a write and a replication message, per request. Its expiry then lags the latest insert by
     * under a second, and {@code table_lookup} never reports more lifetime than the script gave.
     */
    @Override
    public boolean insert(String key, String value, long lifetimeMillis) {
      PersistenceTable table = table();
      long expiresAt = clock.getAsLong() + lifetimeMillis;
      PersistenceTable.Entry live = table.lookup(key);
      if (live != null && expiresAt - live.expiresAtMillis() < REFRESH_STEP_MILLIS) return true;
      return table.insertIfAbsent(key, value, expiresAt);
    }

    @Override
    public Entry lookup(String key, long extendMillis) {
      PersistenceTable table = table();
      long now = clock.getAsLong();
      PersistenceTable.Entry entry =
          extendMillis > 0 ? table.lookupExtending(key, now + extendMillis) : table.lookup(key);
      return entry == null
          ? null
          : new Entry(entry.value(), Math.max(0, entry.expiresAtMillis() - now));
    }

    @Override
    public String lookupValue(String key, long extendMillis) {
      PersistenceTable table = table();
      PersistenceTable.Entry entry =
          extendMillis > 0
              ? table.lookupExtending(key, clock.getAsLong() + extendMillis)
              : table.lookup(key);
      return entry == null ? null : entry.value();
    }

    @Override
    public boolean refresh(String key, long extendMillis) {
      return table().extend(key, clock.getAsLong() + extendMillis);
    }

    @Override
    public void remove(String key) {
      table().remove(key);
    }
  }
}
