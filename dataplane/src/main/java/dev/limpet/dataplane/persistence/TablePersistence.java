package dev.limpet.dataplane.persistence;

import dev.limpet.contract.PersistenceProfileConfig.OnServerDown;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A persistence type that keeps its pins in a replicated {@link PersistenceTable} (ClientIP,
 * AppCookie, TLS): an entry lives for the profile's timeout after its last use.
 */
abstract sealed class TablePersistence implements Persistence
    permits ClientIpPersistence, AppCookiePersistence, TlsPersistence {
  final PersistenceTable table;
  final long timeoutMillis;
  final LongSupplier clock;
  private final OnServerDown onServerDown;

  /**
   * @param clock epoch milliseconds
   */
  TablePersistence(
      PersistenceTable table, long timeoutMillis, OnServerDown onServerDown, LongSupplier clock) {
    this.table = table;
    this.timeoutMillis = timeoutMillis;
    this.onServerDown = onServerDown;
    this.clock = clock;
  }

  /** When an entry used now expires: the timeout from now. */
  final long expiry() {
    return Expiry.after(clock.getAsLong(), timeoutMillis);
  }

  @Override
  public final Optional<String> tableName() {
    return Optional.of(table.name());
  }

  @Override
  public final OnServerDown onServerDown() {
    return onServerDown;
  }
}
