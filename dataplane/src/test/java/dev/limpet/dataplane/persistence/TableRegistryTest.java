package dev.limpet.dataplane.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TableRegistryTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final TableRegistry registry = new TableRegistry(100, now::get);

  @Test
  void aNameAlwaysGivesTheSameTable() {
    assertThat(registry.table("a")).isSameAs(registry.table("a")).isNotSameAs(registry.table("b"));
    assertThat(registry.table("a").name()).isEqualTo("a");
  }

  @Test
  void profileTablesAreNamedByProfileAndPool() {
    assertThat(TableRegistry.profileTableName("sticky", "web")).isEqualTo("persistence/sticky/web");
  }

  @Test
  void sizesAndSweepCoverEveryTable() {
    registry.table("a").put("k1", "v", now.get() + 10);
    registry.table("a").put("k2", "v", now.get() + 100);
    registry.table("b").put("k1", "v", now.get() + 10);
    assertThat(registry.sizes()).containsExactly(entry("a", 2), entry("b", 1));
    now.addAndGet(10);
    assertThat(registry.sweepAll()).isEqualTo(2);
    assertThat(registry.sizes()).containsExactly(entry("a", 1), entry("b", 0));
  }

  @Test
  void retainDropsRejectedTablesAndKeepsTheContentOfListedOnes() {
    registry.table("kept").put("k", "v", now.get() + 10);
    registry.table("dropped").put("k", "v", now.get() + 10);
    registry.connections("dropped").opened("k");
    registry.retain(Set.of("kept")::contains);
    assertThat(registry.sizes()).containsOnlyKeys("kept");
    assertThat(registry.table("kept").lookup("k")).isNotNull();
    assertThat(registry.table("dropped").size()).isZero();
    assertThat(registry.connections("dropped").keys()).isEmpty();
  }

  @Test
  void aNewBoundAppliesToExistingAndFutureTables() {
    PersistenceTable existing = registry.table("a");
    registry.maxEntriesPerTable(1);
    existing.put("k1", "v", now.get() + 10);
    existing.put("k2", "v", now.get() + 10);
    registry.table("b").put("k1", "v", now.get() + 10);
    registry.table("b").put("k2", "v", now.get() + 10);
    assertThat(registry.sizes()).containsExactly(entry("a", 1), entry("b", 1));
  }

  @Test
  void aRegistryListenerHearsPresentAndFutureTablesButNotRemoteStates() {
    registry.table("early");
    RecordingListener listener = new RecordingListener();
    registry.addListener(listener);
    registry.addListener(listener);
    registry.table("early").put("k", "v", now.get() + 10);
    registry.table("script/vs/later").put("k", "v", now.get() + 10);
    registry
        .table("remote")
        .applyRemote("k", new PersistenceTable.Entry("v", now.get() + 10, 1L << 40));
    assertThat(listener.events)
        .containsExactly(
            "upsert early k=v@" + (now.get() + 10),
            "upsert script/vs/later k=v@" + (now.get() + 10));
  }

  private static java.util.Map.Entry<String, Integer> entry(String name, int size) {
    return java.util.Map.entry(name, size);
  }
}
