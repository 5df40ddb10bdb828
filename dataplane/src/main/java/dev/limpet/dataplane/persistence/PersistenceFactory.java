package dev.limpet.dataplane.persistence;

import dev.limpet.contract.PersistenceProfileConfig;
import dev.limpet.contract.PersistenceProfileConfig.AppCookie;
import dev.limpet.contract.PersistenceProfileConfig.ClientIp;
import dev.limpet.contract.PersistenceProfileConfig.CustomHeader;
import dev.limpet.contract.PersistenceProfileConfig.HttpCookie;
import dev.limpet.contract.PersistenceProfileConfig.OnServerDown;
import dev.limpet.contract.PersistenceProfileConfig.Tls;
import dev.limpet.contract.PersistenceProfileConfig.Visitor;
import dev.limpet.contract.PoolConfig;
import java.util.function.LongSupplier;

/**
 * Builds the {@link Persistence} of one profile for one pool: one visitor method per persistence
 * type, so a new type does not compile until it has its implementation here.
 */
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
    OnServerDown down = profile.onServerDown();
    return profile
        .settings()
        .accept(
            new Visitor<Persistence>() {
              @Override
              public Persistence clientIp(ClientIp c) {
                return new ClientIpPersistence(
                    tables.table(table),
                    tables.connections(table),
                    millis(c.timeoutMinutes()),
                    c.prefixLengthV4(),
                    c.prefixLengthV6(),
                    down,
                    clock);
              }

              @Override
              public Persistence httpCookie(HttpCookie c) {
                return new HttpCookiePersistence(
                    c,
                    new CookieCodec(keys, pool.name()),
                    millis(c.timeoutMinutes()),
                    false,
                    down,
                    clock);
              }

              @Override
              public Persistence appCookie(AppCookie c) {
                return new AppCookiePersistence(
                    tables.table(table), c.name(), millis(c.timeoutMinutes()), down, clock);
              }

              @Override
              public Persistence customHeader(CustomHeader c) {
                return new CustomHeaderPersistence(c.name(), pool.servers(), down);
              }

              @Override
              public Persistence tls(Tls c) {
                return new TlsPersistence(
                    tables.table(table), millis(c.timeoutMinutes()), down, clock);
              }
            });
  }

  private static long millis(double minutes) {
    return Math.round(minutes * 60_000);
  }
}
