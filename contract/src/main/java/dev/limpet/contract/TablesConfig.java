package dev.limpet.contract;

/**
 * Limits shared by every persistence table.
 *
 * @param maxEntriesPerTable bound of each table (default 1,000,000); see the README for the
 *     eviction policy
 */
public record TablesConfig(int maxEntriesPerTable) {
  public TablesConfig {
    maxEntriesPerTable = Defaults.positive(maxEntriesPerTable, 1_000_000);
  }
}
