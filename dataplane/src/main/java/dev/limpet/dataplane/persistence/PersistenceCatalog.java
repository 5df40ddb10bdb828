package dev.limpet.dataplane.persistence;

import dev.limpet.contract.DataPlaneConfig;
import dev.limpet.contract.PersistenceProfileConfig;
import dev.limpet.contract.PoolConfig;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The persistence of every pool of one configuration. Built from the previous catalog: a pool whose
 * profile and pool configuration did not change keeps its Persistence object (and so its pool in
 * the PoolCatalog stays the same object); tables live in the registry either way.
 */
public final class PersistenceCatalog {
  public static final PersistenceCatalog EMPTY = new PersistenceCatalog(Map.of());

  private record Entry(
      PersistenceProfileConfig profile, PoolConfig pool, Persistence persistence) {}

  private final Map<String, Entry> byPool;

  private PersistenceCatalog(Map<String, Entry> byPool) {
    this.byPool = byPool;
  }

  /**
   * The persistence of each pool of {@code config} that names a profile.
   *
   * @throws IllegalArgumentException when a profile cannot be built (e.g. a cookie domain a cookie
   *     cannot carry)
   */
  public static PersistenceCatalog build(
      DataPlaneConfig config,
      PersistenceCatalog previous,
      TableRegistry tables,
      CookieKeySet keys,
      LongSupplier clock) {
    Map<String, PersistenceProfileConfig> profiles = new HashMap<>();
    config.persistenceProfiles().forEach(p -> profiles.put(p.name(), p));
    Map<String, Entry> byPool = new HashMap<>();
    for (PoolConfig pool : config.pools()) {
      if (pool.persistenceProfile() == null) continue;
      PersistenceProfileConfig profile = profiles.get(pool.persistenceProfile());
      Entry old = previous.byPool.get(pool.name());
      boolean unchanged = old != null && old.profile().equals(profile) && old.pool().equals(pool);
      Persistence persistence =
          unchanged
              ? old.persistence()
              : PersistenceFactory.create(profile, pool, tables, keys, clock);
      byPool.put(pool.name(), new Entry(profile, pool, persistence));
    }
    return new PersistenceCatalog(byPool);
  }

  /** The persistence of {@code pool}, or null when it has no profile. */
  public Persistence forPool(PoolConfig pool) {
    Entry e = byPool.get(pool.name());
    return e == null ? null : e.persistence();
  }

  /** The tables this catalog's profiles use, so that the registry can drop the others. */
  public Set<String> tableNames() {
    Set<String> names = new HashSet<>();
    byPool.values().forEach(e -> e.persistence().tableName().ifPresent(names::add));
    return names;
  }

  /** Drives the time-based work of every profile (ClientIP keeps held entries alive). */
  public void tick() {
    byPool.values().forEach(e -> e.persistence().tick());
  }
}
