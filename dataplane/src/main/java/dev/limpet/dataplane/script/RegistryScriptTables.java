package dev.limpet.dataplane.script;

import dev.limpet.dataplane.persistence.PersistenceTable;
import dev.limpet.dataplane.persistence.TableRegistry;
import java.util.function.LongSupplier;

/**
 * The tables of one virtual service, kept in the process's table registry (the one the native
 * profiles use and replication covers) under {@code script/<virtual service>/<table>}.
 */
public final class RegistryScriptTables implements ScriptTables {
  /** The name of the table scripts reach without naming one. */
  public static final String DEFAULT_TABLE = "default";

  private final TableRegistry registry;
  private final String prefix;
  private final LongSupplier clock;

  public RegistryScriptTables(TableRegistry registry, String virtualService, LongSupplier clock) {
    this.registry = registry;
    this.prefix = prefix(virtualService);
    this.clock = clock;
  }

  /** Every table of {@code virtualService} starts with this. */
  public static String prefix(String virtualService) {
    return "script/" + virtualService + "/";
  }

  @Override
  public ScriptTable defaultTable() {
    return named(DEFAULT_TABLE);
  }

  @Override
  public ScriptTable named(String name) {
    return new Table(registry.table(prefix + name));
  }

  private final class Table implements ScriptTable {
    private final PersistenceTable table;

    Table(PersistenceTable table) {
      this.table = table;
    }

    @Override
    public boolean insert(String key, String value, long lifetimeMillis) {
      return table.insertIfAbsent(key, value, clock.getAsLong() + lifetimeMillis);
    }

    @Override
    public Entry lookup(String key, long extendMillis) {
      long now = clock.getAsLong();
      if (extendMillis > 0) table.extend(key, now + extendMillis);
      PersistenceTable.Entry entry = table.lookup(key);
      return entry == null
          ? null
          : new Entry(entry.value(), Math.max(0, entry.expiresAtMillis() - now));
    }

    @Override
    public boolean refresh(String key, long extendMillis) {
      return table.extend(key, clock.getAsLong() + extendMillis);
    }

    @Override
    public void remove(String key) {
      table.remove(key);
    }
  }
}
