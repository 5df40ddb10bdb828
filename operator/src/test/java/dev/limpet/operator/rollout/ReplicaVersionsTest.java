package dev.limpet.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A replica is asked at most once per max age however many VirtualServices wait on it, but never
 * answered from before the configuration they wait for was written.
 */
@Timeout(10)
class ReplicaVersionsTest {
  private static final DataPlanePods.Replica REPLICA =
      new DataPlanePods.Replica("dataplane-0", "127.0.0.2", 9901);

  private final AtomicLong now = new AtomicLong(1_000);
  private final AtomicInteger asked = new AtomicInteger();
  private final ReplicaVersions versions =
      new ReplicaVersions(
          replica -> CompletableFuture.completedFuture(Optional.of("v" + asked.incrementAndGet())),
          Duration.ofNanos(500),
          now::get);

  @Test
  void anAnswerWithinItsMaxAgeIsShared() {
    assertThat(versions.of(List.of(REPLICA))).containsEntry(REPLICA, Optional.of("v1"));
    now.addAndGet(100);
    assertThat(versions.of(List.of(REPLICA), 900)).containsEntry(REPLICA, Optional.of("v1"));
    now.addAndGet(500);
    assertThat(versions.of(List.of(REPLICA))).containsEntry(REPLICA, Optional.of("v2"));
  }

  @Test
  void anAnswerAskedBeforeTheConfigurationWasWrittenIsAskedAgain() {
    assertThat(versions.of(List.of(REPLICA))).containsEntry(REPLICA, Optional.of("v1"));
    now.addAndGet(100); // the configuration is written now, well within the answer's max age
    long written = now.get();
    assertThat(versions.of(List.of(REPLICA), written)).containsEntry(REPLICA, Optional.of("v2"));
    assertThat(versions.of(List.of(REPLICA), written)).containsEntry(REPLICA, Optional.of("v2"));
    assertThat(asked).hasValue(2);
  }
}
