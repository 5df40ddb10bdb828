package dev.limpet.dataplane.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HybridClockTest {
  private final AtomicLong wall = new AtomicLong(1_700_000_000_000L);

  @Test
  void versionsGrowWhenTheWallClockStandsStillOrGoesBack() {
    HybridClock clock = new HybridClock(wall::get, "a");
    long previous = clock.next();
    for (int i = 0; i < 1_000; i++) {
      if (i == 500) wall.addAndGet(-60_000);
      long next = clock.next();
      assertThat(next).isGreaterThan(previous);
      previous = next;
    }
  }

  @Test
  void aLaterWallClockGivesALaterVersion() {
    HybridClock clock = new HybridClock(wall::get, "a");
    long first = clock.next();
    wall.addAndGet(1);
    assertThat(clock.next()).isGreaterThan(first);
  }

  @Test
  void afterObservingAVersionFromAClockAheadEveryNewVersionIsGreater() {
    HybridClock behind = new HybridClock(wall::get, "behind");
    HybridClock ahead = new HybridClock(() -> wall.get() + 3_600_000, "ahead");
    long remote = ahead.next();
    assertThat(behind.next()).isLessThan(remote);
    behind.observe(remote);
    assertThat(behind.next()).isGreaterThan(remote);
  }

  @Test
  void replicasWritingInTheSameMillisecondGetDifferentVersions() {
    long a = new HybridClock(wall::get, "dataplane-7d9f-abcde").next();
    long b = new HybridClock(wall::get, "dataplane-7d9f-fghij").next();
    assertThat(a).isNotEqualTo(b);
  }
}
