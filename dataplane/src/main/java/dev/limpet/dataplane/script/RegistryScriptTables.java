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

    @Override
    public boolean insert(String key, String value, long lifetimeMillis) {
      return table().insertIfAbsent(key, value, clock.getAsLong() + lifetimeMillis);
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
    public boolean refresh(String key, long extendMillis) {
      return table().extend(key, clock.getAsLong() + extendMillis);
    }

    @Override
    public void remove(String key) {
      table().remove(key);
    }
  }
}
