package dev.limpet.dataplane.persistence;

import dev.limpet.dataplane.config.PersistenceProfileConfig;
import dev.limpet.dataplane.config.PoolConfig;
import java.util.Optional;
import java.util.function.LongSupplier;

/** Builds the {@link Persistence} of one profile for one pool. */
public final class PersistenceFactory {
  private PersistenceFactory() {}

  /**
   * A new {@link Persistence}; tables come from (and stay in) {@code tables}, so a reload that
   * builds it again keeps the pins.
   *
   * @param clock epoch milliseconds, {@code System::currentTimeMillis} outside tests
   * @throws IllegalArgumentException when an HttpCookie path or domain cannot go into a cookie
   */
  public static Persistence create(
      PersistenceProfileConfig profile,
      PoolConfig pool,
      TableRegistry tables,
      CookieKeySet keys,
      LongSupplier clock) {
    String table = TableRegistry.profileTableName(profile.name(), pool.name());
    return switch (profile.type()) {
      case ClientIP -> {
        var c = profile.clientIp();
        yield new ClientIpPersistence(
            tables.table(table),
            tables.connections(table),
            millis(c.timeoutMinutes()),
            c.prefixLengthV4(),
            c.prefixLengthV6(),
            profile.onServerDown(),
            clock);
      }
      case HttpCookie -> {
        var c = profile.httpCookie();
        yield new HttpCookiePersistence(
            c,
            new CookieCodec(keys, pool.name()),
            millis(c.timeoutMinutes()),
            false,
            profile.onServerDown(),
            clock);
      }
      case AppCookie -> {
        var c = profile.appCookie();
        yield new AppCookiePersistence(
            tables.table(table),
            c.name(),
            millis(c.timeoutMinutes()),
            profile.onServerDown(),
            clock);
      }
      case CustomHeader ->
          new CustomHeaderPersistence(
              profile.customHeader().name(), pool.servers(), profile.onServerDown());
      case TLS ->
          new TlsPersistence(
              tables.table(table),
              millis(profile.tls().timeoutMinutes()),
              profile.onServerDown(),
              clock);
    };
  }

  /** The table {@link #create} uses for this profile and pool, if its type keeps one. */
  public static Optional<String> tableName(PersistenceProfileConfig profile, PoolConfig pool) {
    return switch (profile.type()) {
      case ClientIP, AppCookie, TLS ->
          Optional.of(TableRegistry.profileTableName(profile.name(), pool.name()));
      case HttpCookie, CustomHeader -> Optional.empty();
    };
  }

  private static long millis(double minutes) {
    return Math.round(minutes * 60_000);
  }
}
