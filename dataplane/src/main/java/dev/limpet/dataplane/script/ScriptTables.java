package dev.limpet.dataplane.script;

/**
 * The tables of one virtual service that {@code avi.vs.table_*} use: a default table and named
 * tables created on first use. Backed by the same replicated tables as the persistence profiles.
 * Safe to call from any thread.
 */
public interface ScriptTables {
  /** The table scripts reach without a table name. */
  ScriptTable defaultTable();

  /** The table {@code name} (never empty), created when first used. */
  ScriptTable named(String name);
}
