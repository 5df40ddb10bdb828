package dev.limpet.dataplane.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.persistence.PersistenceTable.Entry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: replicas that make conflicting local writes and receive each other's states in any
 * order, late, and more than once, end with the same table, and that table is what the merge rule
 * makes of every state ever written. Clocks are skewed per replica; entries do not expire during a
 * run.
 */
@Timeout(30)
class ConvergenceTest {
  private static final int REPLICAS = 3;

  private record Message(int to, String key, Entry state) {}

  static List<Long> seeds() {
    List<Long> seeds = new ArrayList<>();
    for (long s = 1; s <= 200; s++) seeds.add(s);
    return seeds;
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void everyInterleavingEndsInTheSameTable(long seed) {
    Random random = new Random(seed);
    AtomicLong now = new AtomicLong(1_700_000_000_000L);
    List<PersistenceTable> replicas = new ArrayList<>();
    List<Message> inFlight = new ArrayList<>();
    Map<String, Entry> everyState = new HashMap<>();
    for (int r = 0; r < REPLICAS; r++) {
      long skew = random.nextInt(2_000) - 1_000;
      TableRegistry registry = new TableRegistry(100, () -> now.get() + skew, "replica-" + r);
      PersistenceTable table = registry.table("t");
      int from = r;
      table.addListener(
          (name, key, state) -> {
            everyState.merge(key, state, Entry::merge);
            for (int to = 0; to < REPLICAS; to++)
              if (to != from) inFlight.add(new Message(to, key, state));
          });
      replicas.add(table);
    }

    for (int step = 0; step < 300; step++) {
      now.addAndGet(random.nextInt(3));
      if (!inFlight.isEmpty() && random.nextInt(3) == 0) {
        deliver(replicas, inFlight, random);
      } else {
        RandomWrites.write(replicas.get(random.nextInt(REPLICAS)), random, 4, now.get());
      }
    }
    while (!inFlight.isEmpty()) deliver(replicas, inFlight, random);

    Map<String, Entry> first = contents(replicas.get(0));
    for (PersistenceTable replica : replicas) assertThat(contents(replica)).isEqualTo(first);
    assertThat(first).isEqualTo(everyState);
  }

  /** A random message, delivered; sometimes kept to be delivered again later. */
  private static void deliver(List<PersistenceTable> replicas, List<Message> inFlight, Random r) {
    int i = r.nextInt(inFlight.size());
    Message m = r.nextInt(5) == 0 ? inFlight.get(i) : inFlight.remove(i);
    replicas.get(m.to()).applyRemote(m.key(), m.state());
  }

  private static Map<String, Entry> contents(PersistenceTable table) {
    Map<String, Entry> all = new HashMap<>();
    table.replicatedEntries().forEachRemaining(e -> all.put(e.getKey(), e.getValue()));
    return all;
  }
}
