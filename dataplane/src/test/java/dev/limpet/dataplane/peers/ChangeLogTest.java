package dev.limpet.dataplane.peers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.persistence.PersistenceTable.Entry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ChangeLogTest {
  private final AtomicInteger appended = new AtomicInteger();
  private final ChangeLog log = new ChangeLog(4, appended::incrementAndGet);

  private void change(String key) {
    log.changed("t", key, new Entry("v", 1_000, 1));
  }

  @Test
  void changesAreNumberedFromOneAndAnnounced() {
    assertThat(log.head()).isZero();
    change("a");
    change("b");
    assertThat(log.head()).isEqualTo(2);
    assertThat(log.at(1).key()).isEqualTo("a");
    assertThat(log.at(2).key()).isEqualTo("b");
    assertThat(log.at(3)).as("not written yet").isNull();
    assertThat(appended).hasValue(2);
  }

  @Test
  void onlyTheLatestCapacityChangesAreKept() {
    for (int i = 1; i <= 6; i++) change("k" + i);
    assertThat(log.lost(2)).isTrue();
    assertThat(log.at(2)).isNull();
    assertThat(log.lost(3)).isFalse();
    assertThat(log.at(3).key()).isEqualTo("k3");
    assertThat(log.at(6).key()).isEqualTo("k6");
  }
}
