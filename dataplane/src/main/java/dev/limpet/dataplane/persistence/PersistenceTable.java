package dev.limpet.dataplane.persistence;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named, bounded, in-memory table of expiring string entries, safe to use from any thread.
 *
 * <p>An entry's expiry only moves forward: every write keeps the later of the current and the given
 * expiry, and only {@link #remove} ends an entry early. Replicas that apply the same updates in any
 * order therefore agree on every expiry. An expired entry reads as absent until {@link #sweep}
 * removes it.
 *
 * <p>Bound: when a new key would reach {@code maxEntries}, the table first removes expired entries
 * (a full sweep, at most once a second), then evicts the entry that expires soonest among a sample
 * of {@value #EVICTION_SAMPLE}: the next entries of a cursor that walks the hash table round and
 * round. Hash order has nothing to do with expiry, so the sample is as good as a random one, and
 * each eviction costs a few steps, never a scan. Concurrent inserts may pass the bound by the
 * number of threads inserting at that instant.
 */
public final class PersistenceTable {
  static final int EVICTION_SAMPLE = 5;
  private static final long FULL_SWEEP_INTERVAL_MILLIS = 1_000;
  private static final Logger log = LoggerFactory.getLogger(PersistenceTable.class);

  /** A value and the epoch millisecond at which it expires. */
  public record Entry(String value, long expiresAtMillis) {
    boolean liveAt(long nowMillis) {
      return expiresAtMillis > nowMillis;
    }
  }

  private final String name;
  private final LongSupplier clock;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final List<TableListener> listeners = new CopyOnWriteArrayList<>();
  private volatile int maxEntries;

  private final Object evictionLock = new Object();
  // guarded by evictionLock
  private Iterator<Map.Entry<String, Entry>> evictionCursor = Collections.emptyIterator();
  private long nextFullSweepMillis = Long.MIN_VALUE;

  /**
   * @param clock epoch milliseconds, {@code System::currentTimeMillis} outside tests
   */
  public PersistenceTable(String name, int maxEntries, LongSupplier clock) {
    this.name = name;
    this.clock = clock;
    maxEntries(maxEntries);
  }

  public String name() {
    return name;
  }

  /** The live entry for {@code key}, or null when it is absent or expired. */
  public Entry lookup(String key) {
    Entry entry = entries.get(key);
    return entry != null && entry.liveAt(clock.getAsLong()) ? entry : null;
  }

  /**
   * Inserts {@code key} unless it is live already; a live entry keeps its value and gets the later
   * of both expiries.
   *
   * @return true if the key is present afterwards (false only for an expiry in the past)
   */
  public boolean insertIfAbsent(String key, String value, long expiresAtMillis) {
    return upsert(key, value, expiresAtMillis, false) != null;
  }

  /** Sets {@code key} to {@code value}, with the later of the current and the given expiry. */
  public void put(String key, String value, long expiresAtMillis) {
    upsert(key, value, expiresAtMillis, true);
  }

  /**
   * Moves a live entry's expiry to {@code expiresAtMillis} if that is later.
   *
   * @return false if the key is absent or expired
   */
  public boolean extend(String key, long expiresAtMillis) {
    long now = clock.getAsLong();
    Outcome outcome = new Outcome();
    entries.computeIfPresent(
        key,
        (k, current) -> {
          if (!current.liveAt(now)) return current;
          if (expiresAtMillis <= current.expiresAtMillis()) return outcome.kept(current);
          return outcome.changed(new Entry(current.value(), expiresAtMillis));
        });
    if (outcome.changed) fireUpsert(key, outcome.after);
    return outcome.after != null;
  }

  public void remove(String key) {
    if (entries.remove(key) != null) {
      for (TableListener listener : listeners) {
        try {
          listener.onRemove(name, key);
        } catch (RuntimeException e) {
          log.warn("table {}: listener failed on remove", name, e);
        }
      }
    }
  }

  /** Entries held, expired ones not yet swept included. */
  public int size() {
    return entries.size();
  }

  /**
   * Removes expired entries.
   *
   * @return how many were removed
   */
  public int sweep() {
    return sweep(clock.getAsLong());
  }

  public void addListener(TableListener listener) {
    listeners.add(Objects.requireNonNull(listener));
  }

  /** A new bound; takes effect at the next insert of a new key. */
  void maxEntries(int maxEntries) {
    if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be 1 or more");
    this.maxEntries = maxEntries;
  }

  private Entry upsert(String key, String value, long expiresAtMillis, boolean overwrite) {
    Objects.requireNonNull(value, "value");
    long now = clock.getAsLong();
    if (expiresAtMillis > now && entries.size() >= maxEntries && !entries.containsKey(key))
      makeRoom(now);
    Outcome outcome = new Outcome();
    entries.compute(
        key,
        (k, current) -> {
          if (current == null || !current.liveAt(now)) {
            return expiresAtMillis > now
                ? outcome.changed(new Entry(value, expiresAtMillis))
                : null;
          }
          String nextValue = overwrite ? value : current.value();
          long nextExpiry = Math.max(current.expiresAtMillis(), expiresAtMillis);
          if (nextValue.equals(current.value()) && nextExpiry == current.expiresAtMillis())
            return outcome.kept(current);
          return outcome.changed(new Entry(nextValue, nextExpiry));
        });
    if (outcome.changed) fireUpsert(key, outcome.after);
    return outcome.after;
  }

  private void makeRoom(long now) {
    synchronized (evictionLock) {
      if (now >= nextFullSweepMillis) {
        nextFullSweepMillis = now + FULL_SWEEP_INTERVAL_MILLIS;
        sweep(now);
      }
      while (entries.size() >= maxEntries) {
        if (!evictSoonestOfSample()) break;
      }
    }
  }

  /** Evicts the entry that expires first among the next few of the cursor; false if empty. */
  private boolean evictSoonestOfSample() {
    Map.Entry<String, Entry> victim = null;
    for (int i = 0; i < EVICTION_SAMPLE; i++) {
      if (!evictionCursor.hasNext()) {
        evictionCursor = entries.entrySet().iterator();
        if (!evictionCursor.hasNext()) break;
      }
      Map.Entry<String, Entry> candidate = evictionCursor.next();
      if (victim == null
          || candidate.getValue().expiresAtMillis() < victim.getValue().expiresAtMillis())
        victim = candidate;
    }
    if (victim == null) return false;
    entries.remove(victim.getKey());
    return true;
  }

  private int sweep(long now) {
    int removed = 0;
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      if (!e.getValue().liveAt(now) && entries.remove(e.getKey(), e.getValue())) removed++;
    }
    return removed;
  }

  private void fireUpsert(String key, Entry entry) {
    for (TableListener listener : listeners) {
      try {
        listener.onUpsert(name, key, entry);
      } catch (RuntimeException e) {
        log.warn("table {}: listener failed on upsert", name, e);
      }
    }
  }

  /** What a compute function did, read after it returns. */
  private static final class Outcome {
    Entry after;
    boolean changed;

    Entry kept(Entry entry) {
      after = entry;
      return entry;
    }

    Entry changed(Entry entry) {
      after = entry;
      changed = true;
      return entry;
    }
  }
}
