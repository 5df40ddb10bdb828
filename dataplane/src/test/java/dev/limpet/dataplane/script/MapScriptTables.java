package dev.limpet.dataplane.script;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** In-memory tables with a hand-moved clock, following the ScriptTable contract (extend = max). */
final class MapScriptTables implements ScriptTables {
  final AtomicLong nowMillis = new AtomicLong(1_000_000);
  final Map<String, Table> tables = new ConcurrentHashMap<>();
  volatile boolean full;

  @Override
  public ScriptTable defaultTable() {
    return named("");
  }

  @Override
  public ScriptTable named(String name) {
    return tables.computeIfAbsent(name, n -> new Table());
  }

  Table table(String name) {
    return tables.get(name);
  }

  record Stored(String value, long expiresMillis) {}

  final class Table implements ScriptTable {
    final Map<String, Stored> entries = new ConcurrentHashMap<>();

    private Stored live(String key) {
      Stored e = entries.get(key);
      return e != null && e.expiresMillis() > nowMillis.get() ? e : null;
    }

    private Stored extend(String key, Stored e, long millis) {
      Stored next = new Stored(e.value(), Math.max(e.expiresMillis(), nowMillis.get() + millis));
      entries.put(key, next);
      return next;
    }

    @Override
    public boolean insert(String key, String value, long lifetimeMillis) {
      Stored e = live(key);
      if (e != null) {
        extend(key, e, lifetimeMillis);
        return true;
      }
      if (full) return false;
      entries.put(key, new Stored(value, nowMillis.get() + lifetimeMillis));
      return true;
    }

    @Override
    public ScriptTable.Entry lookup(String key, long extendMillis) {
      Stored e = live(key);
      if (e == null) return null;
      if (extendMillis > 0) e = extend(key, e, extendMillis);
      return new ScriptTable.Entry(e.value(), e.expiresMillis() - nowMillis.get());
    }

    @Override
    public boolean refresh(String key, long extendMillis) {
      Stored e = live(key);
      if (e == null) return false;
      extend(key, e, extendMillis);
      return true;
    }

    @Override
    public void remove(String key) {
      entries.remove(key);
    }
  }
}
