package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.persistence.TableRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RegistryScriptTablesTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final TableRegistry registry = new TableRegistry(1000, now::get);
  private final List<Long> replicated = new ArrayList<>();
  private final ScriptTable table =
      new RegistryScriptTables(registry, "vs", now::get).defaultTable();

  RegistryScriptTablesTest() {
    registry.addListener((name, key, entry) -> replicated.add(entry.expiresAtMillis()));
  }

  @Test
  void anInsertPerRequestWritesAndReplicatesAtMostOncePerSecond() {
    for (int ms = 0; ms < 2500; ms += 5) {
      now.set(1_000_000 + ms);
      assertThat(table.insert("client", "s1", 1_200_000)).isTrue();
    }
    // the first insert, and one each time the expiry would move a second or more
    assertThat(replicated).containsExactly(2_200_000L, 2_201_000L, 2_202_000L);
  }

  @Test
  void theLifetimeALookupReportsNeverExceedsTheOneInserted() {
    table.insert("client", "s1", 1_200_000);
    now.addAndGet(999);
    table.insert("client", "s1", 1_200_000);
    ScriptTable.Entry entry = table.lookup("client", 0);
    assertThat(entry.value()).isEqualTo("s1");
    assertThat(entry.remainingMillis()).isBetween(1_199_001L, 1_200_000L);
  }

  @Test
  void anInsertKeepsTheValueOfALiveEntryAndStartsAnExpiredOneAnew() {
    table.insert("client", "s1", 1_000);
    table.insert("client", "s2", 1_000);
    assertThat(table.lookup("client", 0).value()).isEqualTo("s1");
    now.addAndGet(1_001);
    table.insert("client", "s2", 1_000);
    assertThat(table.lookup("client", 0).value()).isEqualTo("s2");
  }
}
