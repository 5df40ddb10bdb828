package dev.limpet.dataplane.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.dataplane.persistence.PersistenceTable.Entry;
import dev.limpet.dataplane.persistence.RandomWrites;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property over real links: whatever conflicting writes the replicas make while a link is cut, in
 * whatever order, once it heals every replica holds the same entries, and they are what the merge
 * rule makes of all the writes. Each seed is another interleaving.
 */
@Timeout(90)
class ConvergenceAfterCutTest {
  private static final List<String> TABLES = List.of("persistence/sticky/web", "script/shop/t");
  private static final Duration BOUND = Duration.ofSeconds(20);
  private ReplicaMesh mesh;

  @AfterEach
  void stop() {
    if (mesh != null) mesh.close();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void conflictingWritesDuringACutResolveTheSameWayEverywhere(long seed) throws Exception {
    mesh = new ReplicaMesh(3, 51, s -> s);
    Map<String, Entry> everyState = new ConcurrentHashMap<>();
    for (TestReplica r : mesh.replicas) {
      await().atMost(BOUND).until(r.service::ready);
      r.tables.addListener(
          (table, key, state) -> everyState.merge(table + " " + key, state, Entry::merge));
    }
    Random random = new Random(seed);

    writeRandomly(random, 30);
    mesh.cut(0, 2);
    TestReplica a = mesh.get(0);
    TestReplica c = mesh.get(2);
    await()
        .atMost(BOUND)
        .until(() -> a.metrics.connected.get() == 1 && c.metrics.connected.get() == 1);
    writeRandomly(random, 300);
    // replica 1 hears both sides; replicas 0 and 2 each miss the other's writes until the heal
    await().atMost(BOUND).until(() -> mesh.get(1).contents().equals(everyState));
    mesh.heal(0, 2);
    writeRandomly(random, 30);

    await()
        .atMost(BOUND)
        .until(
            () ->
                mesh.replicas.stream().allMatch(r -> r.contents().equals(everyState))
                    && !everyState.isEmpty());
    Map<String, Entry> first = mesh.get(0).contents();
    for (TestReplica r : mesh.replicas) assertThat(r.contents()).isEqualTo(first);
  }

  private void writeRandomly(Random random, int writes) {
    long now = System.currentTimeMillis();
    for (int i = 0; i < writes; i++) {
      TestReplica r = mesh.get(random.nextInt(3));
      RandomWrites.write(r.table(TABLES.get(random.nextInt(TABLES.size()))), random, 12, now);
    }
  }
}
