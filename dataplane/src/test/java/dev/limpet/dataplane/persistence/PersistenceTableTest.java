package dev.limpet.dataplane.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.persistence.PersistenceTable.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PersistenceTableTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final RecordingListener listener = new RecordingListener();
  private final List<String> events = listener.events;

  private PersistenceTable table(int maxEntries) {
    PersistenceTable table = new PersistenceTable("t", maxEntries, now::get);
    table.addListener(listener);
    return table;
  }

  @Test
  void insertIfAbsentKeepsTheValueAndTakesTheLaterExpiry() {
    PersistenceTable t = table(10);
    assertThat(t.insertIfAbsent("k", "a", now.get() + 100)).isTrue();
    assertThat(t.insertIfAbsent("k", "b", now.get() + 300)).isTrue();
    assertThat(t.lookup("k"))
        .extracting(Entry::value, Entry::expiresAtMillis)
        .containsExactly("a", now.get() + 300);
    assertThat(t.insertIfAbsent("k", "c", now.get() + 50)).isTrue();
    assertThat(t.lookup("k"))
        .extracting(Entry::value, Entry::expiresAtMillis)
        .containsExactly("a", now.get() + 300);
  }

  @Test
  void insertIfAbsentWithAnExpiryInThePastInsertsNothing() {
    PersistenceTable t = table(10);
    assertThat(t.insertIfAbsent("k", "a", now.get())).isFalse();
    assertThat(t.size()).isZero();
    assertThat(events).isEmpty();
  }

  @Test
  void putOverwritesTheValueButNeverShortensTheExpiry() {
    PersistenceTable t = table(10);
    t.put("k", "a", now.get() + 300);
    t.put("k", "b", now.get() + 100);
    assertThat(t.lookup("k"))
        .extracting(Entry::value, Entry::expiresAtMillis)
        .containsExactly("b", now.get() + 300);
  }

  @Test
  void extendOnlyMovesForwardAndFailsOnAbsentOrExpiredKeys() {
    PersistenceTable t = table(10);
    assertThat(t.extend("k", now.get() + 100)).isFalse();
    t.insertIfAbsent("k", "a", now.get() + 100);
    assertThat(t.extend("k", now.get() + 500)).isTrue();
    assertThat(t.extend("k", now.get() + 200)).isTrue();
    assertThat(t.lookup("k").expiresAtMillis()).isEqualTo(now.get() + 500);
    now.addAndGet(500);
    assertThat(t.extend("k", now.get() + 500)).isFalse();
    assertThat(t.lookup("k")).isNull();
  }

  @Test
  void anExpiredEntryReadsAsAbsentAndCanBeInsertedAgain() {
    PersistenceTable t = table(10);
    t.insertIfAbsent("k", "a", now.get() + 100);
    now.addAndGet(99);
    assertThat(t.lookup("k")).isNotNull();
    now.addAndGet(1);
    assertThat(t.lookup("k")).isNull();
    assertThat(t.insertIfAbsent("k", "b", now.get() + 100)).isTrue();
    assertThat(t.lookup("k"))
        .extracting(Entry::value, Entry::expiresAtMillis)
        .containsExactly("b", now.get() + 100);
  }

  @Test
  void sweepRemovesOnlyExpiredEntries() {
    PersistenceTable t = table(10);
    t.insertIfAbsent("short1", "a", now.get() + 10);
    t.insertIfAbsent("short2", "a", now.get() + 10);
    t.insertIfAbsent("long", "a", now.get() + 1000);
    now.addAndGet(10);
    events.clear();
    assertThat(t.sweep()).isEqualTo(2);
    assertThat(t.size()).isEqualTo(1);
    assertThat(t.lookup("long")).isNotNull();
    assertThat(events).as("expiry is not replicated").isEmpty();
  }

  @Test
  void removeDeletesAndTellsListenersOnlyWhenSomethingWasThere() {
    PersistenceTable t = table(10);
    t.insertIfAbsent("k", "a", now.get() + 100);
    t.remove("k");
    t.remove("k");
    assertThat(t.lookup("k")).isNull();
    assertThat(events).containsExactly("upsert t k=a@" + (now.get() + 100), "remove t k");
  }

  @Test
  void listenersHearOnlyRealChanges() {
    PersistenceTable t = table(10);
    long at = now.get();
    t.insertIfAbsent("k", "a", at + 100);
    t.insertIfAbsent("k", "b", at + 50); // no change
    t.extend("k", at + 80); // no change
    t.extend("k", at + 200);
    t.put("k", "a", at + 200); // no change
    t.put("k", "b", at + 200);
    assertThat(events)
        .containsExactly(
            "upsert t k=a@" + (at + 100),
            "upsert t k=a@" + (at + 200),
            "upsert t k=b@" + (at + 200));
  }

  @Test
  void aFailingListenerDoesNotBreakTheTable() {
    PersistenceTable t = table(10);
    t.addListener(
        (name, key, entry) -> {
          throw new IllegalStateException("boom");
        });
    t.put("k", "a", now.get() + 100);
    t.remove("k");
    assertThat(events).hasSize(2);
  }

  @Test
  void writesThatSetAValueGetANewVersionAndExtensionsKeepIt() {
    PersistenceTable t = table(10);
    t.insertIfAbsent("k", "a", now.get() + 100);
    long first = t.lookup("k").version();
    t.extend("k", now.get() + 200);
    t.insertIfAbsent("k", "b", now.get() + 300);
    t.put("k", "a", now.get() + 400);
    assertThat(t.lookup("k").version()).as("same value: same version").isEqualTo(first);
    t.put("k", "b", now.get() + 400);
    long second = t.lookup("k").version();
    assertThat(second).isGreaterThan(first);
    t.remove("k");
    t.insertIfAbsent("k", "c", now.get() + 10);
    assertThat(t.lookup("k").version()).isGreaterThan(second);
    assertThat(t.lookup("k"))
        .as("a key inserted after a removal starts its own lifetime")
        .extracting(Entry::value, Entry::expiresAtMillis)
        .containsExactly("c", now.get() + 10);
  }

  @Test
  void aRemovalIsATombstoneThatLastsAsLongAsTheEntryAndAtLeastAMinute() {
    PersistenceTable t = table(10);
    t.put("short", "a", now.get() + 10);
    t.put("long", "a", now.get() + 600_000);
    t.remove("short");
    t.remove("long");
    assertThat(t.lookup("short")).isNull();
    assertThat(t.extend("short", now.get() + 100)).isFalse();
    assertThat(t.size()).isEqualTo(2);
    Map<String, Entry> tombstones = replicated(t);
    assertThat(tombstones.get("short").removed()).isTrue();
    assertThat(tombstones.get("short").expiresAtMillis())
        .isEqualTo(now.get() + PersistenceTable.TOMBSTONE_MIN_LIFETIME_MILLIS);
    assertThat(tombstones.get("long").expiresAtMillis()).isEqualTo(now.get() + 600_000);
    now.addAndGet(PersistenceTable.TOMBSTONE_MIN_LIFETIME_MILLIS);
    assertThat(t.sweep()).isEqualTo(1);
  }

  @Test
  void remoteStatesMergeByVersionThenValueThenExpiryAndAreNotHeardByListeners() {
    PersistenceTable t = table(10);
    long v = 5_000L << 20;
    t.applyRemote("k", new Entry("a", now.get() + 100, v));
    t.applyRemote("k", new Entry("b", now.get() + 900, v - 1)); // older: ignored
    assertThat(t.lookup("k")).extracting(Entry::value).isEqualTo("a");
    t.applyRemote("k", new Entry("a", now.get() + 300, v)); // same version: later expiry
    assertThat(t.lookup("k").expiresAtMillis()).isEqualTo(now.get() + 300);
    t.applyRemote("k", new Entry("c", now.get() + 50, v)); // same version, greater value
    assertThat(t.lookup("k")).extracting(Entry::value).isEqualTo("c");
    t.applyRemote("k", new Entry(null, now.get() + 50, v + 1)); // a newer removal
    assertThat(t.lookup("k")).isNull();
    t.applyRemote("k", new Entry("d", now.get() + 999, v)); // an older state cannot revive it
    assertThat(t.lookup("k")).isNull();
    assertThat(t.applyRemote("x", new Entry("e", now.get(), v))).as("expired on arrival").isFalse();
    assertThat(events).isEmpty();
  }

  @Test
  void aLocalWriteAfterARemoteOneWinsEvenWhenTheOtherClockIsAhead() {
    PersistenceTable t = table(10);
    long aheadByAnHour = (now.get() + 3_600_000) << 20;
    t.applyRemote("k", new Entry("remote", now.get() + 100, aheadByAnHour));
    t.put("k", "local", now.get() + 100);
    assertThat(t.lookup("k").version()).isGreaterThan(aheadByAnHour);
    assertThat(Entry.merge(t.lookup("k"), new Entry("remote", now.get() + 100, aheadByAnHour)))
        .extracting(Entry::value)
        .isEqualTo("local");
  }

  private static Map<String, Entry> replicated(PersistenceTable t) {
    Map<String, Entry> all = new java.util.HashMap<>();
    t.replicatedEntries().forEachRemaining(e -> all.put(e.getKey(), e.getValue()));
    return all;
  }

  @Test
  void atTheBoundTheEntryExpiringSoonestIsEvicted() {
    PersistenceTable t = table(3);
    t.insertIfAbsent("late", "a", now.get() + 300);
    t.insertIfAbsent("soon", "a", now.get() + 100);
    t.insertIfAbsent("middle", "a", now.get() + 200);
    events.clear();
    t.insertIfAbsent("new", "a", now.get() + 50);
    assertThat(t.size()).isEqualTo(3);
    assertThat(t.lookup("soon")).isNull();
    assertThat(t.lookup("late")).isNotNull();
    assertThat(t.lookup("middle")).isNotNull();
    assertThat(t.lookup("new")).isNotNull();
    assertThat(events).as("eviction is not replicated").hasSize(1);
  }

  @Test
  void atTheBoundExpiredEntriesGoFirst() {
    PersistenceTable t = table(10);
    for (int i = 0; i < 3; i++) t.insertIfAbsent("old" + i, "a", now.get() + 10);
    for (int i = 0; i < 7; i++) t.insertIfAbsent("live" + i, "a", now.get() + 1000 + i);
    now.addAndGet(10);
    t.insertIfAbsent("new", "a", now.get() + 1000);
    assertThat(t.size()).as("all three expired entries swept, no live one evicted").isEqualTo(8);
    for (int i = 0; i < 7; i++) assertThat(t.lookup("live" + i)).isNotNull();
  }

  @Test
  void updatingAnExistingKeyAtTheBoundEvictsNothing() {
    PersistenceTable t = table(2);
    t.insertIfAbsent("a", "1", now.get() + 100);
    t.insertIfAbsent("b", "1", now.get() + 200);
    t.put("a", "2", now.get() + 300);
    assertThat(t.size()).isEqualTo(2);
    assertThat(t.lookup("b")).isNotNull();
  }

  @Test
  void evictionAtScaleKeepsMostlyTheLatestExpiring() {
    PersistenceTable t = table(1_000);
    for (int i = 0; i < 5_000; i++) t.insertIfAbsent("k" + i, "v", now.get() + 1_000 + i);
    assertThat(t.size()).isEqualTo(1_000);
    double meanSurvivor =
        IntStream.range(0, 5_000).filter(i -> t.lookup("k" + i) != null).average().orElseThrow();
    // random eviction would leave a mean near 2,500; strict soonest-first would leave 4,499.5
    assertThat(meanSurvivor).isGreaterThan(3_500);
  }

  @Test
  void aLowerBoundTakesEffectAtTheNextInsert() {
    PersistenceTable t = table(10);
    for (int i = 0; i < 10; i++) t.insertIfAbsent("k" + i, "v", now.get() + 1_000 + i);
    t.maxEntries(4);
    t.insertIfAbsent("new", "v", now.get() + 5_000);
    assertThat(t.size()).isEqualTo(4);
    assertThat(t.lookup("new")).isNotNull();
  }

  @Test
  void concurrentWritersConvergeOnTheLatestExpiryAndTheFirstValue() throws Exception {
    PersistenceTable t = new PersistenceTable("t", 1_000, now::get);
    Map<String, String> upsertedValue = new ConcurrentHashMap<>();
    Map<String, Boolean> valueChanged = new ConcurrentHashMap<>();
    t.addListener(
        (name, key, entry) -> {
          String first = upsertedValue.putIfAbsent(key, entry.value());
          if (first != null && !first.equals(entry.value())) valueChanged.put(key, true);
        });
    int threads = 8;
    Map<String, AtomicLong> latestGiven = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int n = 0; n < threads; n++) {
        String value = "server" + n;
        done.add(
            pool.submit(
                () -> {
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  for (int i = 0; i < 20_000; i++) {
                    String key = "k" + random.nextInt(200);
                    long expiry = now.get() + 1 + random.nextInt(1_000_000);
                    latestGiven
                        .computeIfAbsent(key, k -> new AtomicLong())
                        .accumulateAndGet(expiry, Math::max);
                    if (random.nextBoolean()) t.insertIfAbsent(key, value, expiry);
                    else if (!t.extend(key, expiry)) t.insertIfAbsent(key, value, expiry);
                    t.lookup(key);
                  }
                }));
      }
      for (Future<?> f : done) f.get(20, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(t.size()).isEqualTo(latestGiven.size());
    latestGiven.forEach(
        (key, latest) ->
            assertThat(t.lookup(key).expiresAtMillis()).as(key).isEqualTo(latest.get()));
    assertThat(valueChanged).as("insertIfAbsent never overwrote a value").isEmpty();
  }

  @Test
  void mixedConcurrentOperationsAtTheBoundStayNearTheBound() throws Exception {
    int threads = 8;
    int bound = 100;
    PersistenceTable t = new PersistenceTable("t", bound, now::get);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int n = 0; n < threads; n++) {
        done.add(
            pool.submit(
                () -> {
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  for (int i = 0; i < 20_000; i++) {
                    String key = "k" + random.nextInt(1_000);
                    long expiry = now.get() + random.nextInt(1_000);
                    switch (random.nextInt(6)) {
                      case 0 -> t.insertIfAbsent(key, "v", expiry);
                      case 1 -> t.put(key, "w", expiry);
                      case 2 -> t.extend(key, expiry);
                      case 3 -> t.remove(key);
                      case 4 -> now.incrementAndGet();
                      default -> t.sweep();
                    }
                    // size() sums per-cell counters while others add and remove, so a read
                    // in the middle of the churn may be off by the writes in flight as well
                    assertThat(t.size()).isLessThanOrEqualTo(bound + 2 * threads);
                  }
                }));
      }
      for (Future<?> f : done) f.get(20, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(t.size()).isLessThanOrEqualTo(bound);
  }
}
