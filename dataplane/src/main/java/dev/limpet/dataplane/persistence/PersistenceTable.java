package dev.limpet.dataplane.persistence;

import java.util.Collections;
import java.util.Iterator;
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
 * expiry, and only {@link #remove} ends an entry early. An expired entry reads as absent until
 * {@link #sweep} removes it.
 *
 * <p>Replication: a local write that sets a value (a new key, another value, a removal) gives the
 * entry a new {@link HybridClock version}; extending an entry keeps its version. {@link
 * #applyRemote} keeps whichever of the local and the remote state {@link Entry#merge} ranks higher,
 * so replicas that receive the same states in any order hold the same entries. A removal is kept as
 * a <em>tombstone</em> (an entry without a value, absent to readers) until the removed entry would
 * have expired, and at least {@value #TOMBSTONE_MIN_LIFETIME_MILLIS} ms, so that older states still
 * on their way cannot bring the key back.
 *
 * <p>Bound: when a new key would reach {@code maxEntries}, the table first removes expired entries
 * (a full sweep, at most once a second), then evicts the entry that expires soonest among a sample
 * of {@value #EVICTION_SAMPLE}: the next entries of a cursor that walks the hash table round and
 * round. Hash order has nothing to do with expiry, so the sample is as good as a random one, and
 * each eviction costs a few steps, never a scan. Concurrent inserts may pass the bound by the
 * number of threads inserting at that instant; an insert that finds the table over its bound
 * afterwards evicts again, so once the inserts are done the table is within its bound. Tombstones
 * count towards the bound.
 */
public final class PersistenceTable {
  static final int EVICTION_SAMPLE = 5;
  static final long TOMBSTONE_MIN_LIFETIME_MILLIS = 60_000;
  private static final long FULL_SWEEP_INTERVAL_MILLIS = 1_000;
  private static final Logger log = LoggerFactory.getLogger(PersistenceTable.class);

  /**
   * A value, the epoch millisecond at which it expires, and the version of the write that set the
   * value. A null value marks a removal (a tombstone).
   */
  public record Entry(String value, long expiresAtMillis, long version) {
    /** True for a tombstone: the key was removed. */
    public boolean removed() {
      return value == null;
    }

    boolean liveAt(long nowMillis) {
      return expiresAtMillis > nowMillis;
    }

    /**
     * The state every replica keeps when it holds one of {@code a} and {@code b} and receives the
     * other: the higher version (a newer write replaces value and expiry together); for equal
     * versions the greater value (a tombstone is least), then the later expiry. A total order, so
     * the result never depends on the order in which states arrive.
     */
    public static Entry merge(Entry a, Entry b) {
      if (a.version != b.version) return a.version > b.version ? a : b;
      if (!Objects.equals(a.value, b.value)) {
        if (a.value == null) return b;
        if (b.value == null) return a;
        return a.value.compareTo(b.value) > 0 ? a : b;
      }
      return a.expiresAtMillis >= b.expiresAtMillis ? a : b;
    }
  }

  private final String name;
  private final LongSupplier clock;
  private final HybridClock versions;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<TableListener> listeners = new CopyOnWriteArrayList<>();
  private volatile int maxEntries;

  private final Object evictionLock = new Object();
  // guarded by evictionLock
  private Iterator<Map.Entry<String, Entry>> evictionCursor = Collections.emptyIterator();
  private long nextFullSweepMillis = Long.MIN_VALUE;

  /**
   * A table on its own, outside any registry and replication.
   *
   * @param clock epoch milliseconds, {@code System::currentTimeMillis} outside tests
   */
  public PersistenceTable(String name, int maxEntries, LongSupplier clock) {
    this(name, maxEntries, clock, new HybridClock(clock, name));
  }

  PersistenceTable(String name, int maxEntries, LongSupplier clock, HybridClock versions) {
    this.name = name;
    this.clock = clock;
    this.versions = versions;
    maxEntries(maxEntries);
  }

  public String name() {
    return name;
  }

  /** The live entry for {@code key}, or null when it is absent, removed or expired. */
  public Entry lookup(String key) {
    Entry entry = entries.get(key);
    return entry != null && entry.value != null && entry.liveAt(clock.getAsLong()) ? entry : null;
  }

  /**
   * {@link #extend} then {@link #lookup}: the live entry for {@code key} with its expiry moved to
   * {@code expiresAtMillis} if that is later, or null. One read when the entry expires later
   * already.
   */
  public Entry lookupExtending(String key, long expiresAtMillis) {
    Entry seen = entries.get(key);
    if (seen == null || !present(seen, clock.getAsLong())) return null;
    if (expiresAtMillis <= seen.expiresAtMillis()) return seen;
    extend(key, expiresAtMillis);
    return lookup(key);
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
   * @return false if the key is absent, removed or expired
   */
  public boolean extend(String key, long expiresAtMillis) {
    long now = clock.getAsLong();
    // most calls change nothing (an absent key, or one that expires later already): answer from a
    // read, without the write lock; a concurrent write only moves the expiry further
    Entry seen = entries.get(key);
    if (seen == null || !present(seen, now)) return false;
    if (expiresAtMillis <= seen.expiresAtMillis()) return true;
    Outcome outcome = new Outcome();
    entries.computeIfPresent(
        key,
        (k, current) -> {
          if (!present(current, now)) return current;
          if (expiresAtMillis <= current.expiresAtMillis()) return outcome.kept(current);
          return outcome.changed(new Entry(current.value, expiresAtMillis, current.version));
        });
    if (outcome.changed) fire(key, outcome.after);
    return outcome.after != null;
  }

  /**
   * Removes {@code key} if it is live: it then reads as absent here and, replicated, everywhere.
   */
  public void remove(String key) {
    long now = clock.getAsLong();
    Outcome outcome = new Outcome();
    entries.computeIfPresent(
        key,
        (k, current) -> {
          if (!present(current, now)) return current;
          long until = Math.max(current.expiresAtMillis, now + TOMBSTONE_MIN_LIFETIME_MILLIS);
          return outcome.changed(new Entry(null, until, versions.next()));
        });
    if (outcome.changed) fire(key, outcome.after);
  }

  /**
   * Merges a state another replica sent (see {@link Entry#merge}); listeners are not told, so a
   * replicated update is never sent on. A state that has expired on arrival is ignored.
   *
   * @return true if the table changed
   */
  public boolean applyRemote(String key, Entry remote) {
    versions.observe(remote.version);
    long now = clock.getAsLong();
    if (!remote.liveAt(now)) return false;
    if (entries.size() >= maxEntries && !entries.containsKey(key)) makeRoom(now);
    Outcome outcome = new Outcome();
    entries.compute(
        key,
        (k, current) -> {
          if (current == null || !current.liveAt(now)) return outcome.changed(remote);
          Entry merged = Entry.merge(current, remote);
          return merged == current ? outcome.kept(current) : outcome.changed(merged);
        });
    if (outcome.changed) evictIfOver(now);
    return outcome.changed;
  }

  /**
   * The live entries and tombstones, for a full resync: a weakly consistent view that reflects some
   * of the writes made while it is walked.
   */
  public Iterator<Map.Entry<String, Entry>> replicatedEntries() {
    long now = clock.getAsLong();
    Iterator<Map.Entry<String, Entry>> all = entries.entrySet().iterator();
    return new Iterator<>() {
      private Map.Entry<String, Entry> next = advance();

      private Map.Entry<String, Entry> advance() {
        while (all.hasNext()) {
          Map.Entry<String, Entry> e = all.next();
          if (e.getValue().liveAt(now)) return e;
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Map.Entry<String, Entry> next() {
        if (next == null) throw new java.util.NoSuchElementException();
        Map.Entry<String, Entry> e = next;
        next = advance();
        return e;
      }
    };
  }

  /** Entries held, expired ones and tombstones not yet swept included. */
  public int size() {
    return entries.size();
  }

  /**
   * Removes expired entries and tombstones.
   *
   * @return how many were removed
   */
  public int sweep() {
    return sweep(clock.getAsLong());
  }

  public void addListener(TableListener listener) {
    listeners.add(Objects.requireNonNull(listener));
  }

  void removeListener(TableListener listener) {
    listeners.remove(listener);
  }

  /** Adds {@code listener} unless it listens already. */
  void addListenerIfAbsent(TableListener listener) {
    listeners.addIfAbsent(listener);
  }

  /** A new bound; takes effect at the next insert of a new key. */
  void maxEntries(int maxEntries) {
    if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be 1 or more");
    this.maxEntries = maxEntries;
  }

  private static boolean present(Entry entry, long now) {
    return entry.value != null && entry.liveAt(now);
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
          if (current == null || !present(current, now)) {
            if (expiresAtMillis > now)
              return outcome.changed(new Entry(value, expiresAtMillis, versions.next()));
            return current == null || !current.liveAt(now) ? null : current;
          }
          long nextExpiry = Math.max(current.expiresAtMillis(), expiresAtMillis);
          if (!overwrite || value.equals(current.value)) {
            if (nextExpiry == current.expiresAtMillis()) return outcome.kept(current);
            return outcome.changed(new Entry(current.value, nextExpiry, current.version));
          }
          return outcome.changed(new Entry(value, nextExpiry, versions.next()));
        });
    if (outcome.changed) {
      evictIfOver(now);
      fire(key, outcome.after);
    }
    return outcome.after;
  }

  /** Another thread may have inserted between this insert's check and its write. */
  private void evictIfOver(long now) {
    if (entries.size() > maxEntries) makeRoom(now);
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

  private void fire(String key, Entry entry) {
    for (TableListener listener : listeners) {
      try {
        listener.changed(name, key, entry);
      } catch (RuntimeException e) {
        log.warn("table {}: listener failed", name, e);
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
