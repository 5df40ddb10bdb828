package dev.limpet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.e2e.local.LocalCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The local run supervises the operator as a Deployment would: an operator process that dies (here
 * killed from outside, as the OOM killer would) is started again, and the new one programs what is
 * applied afterwards.
 */
@ExtendWith(SharedCluster.class)
@Timeout(180)
class OperatorCrashTest {

  @Test
  void aDeadOperatorIsStartedAgain() throws Exception {
    LocalCluster cluster = SharedCluster.cluster();
    long pid = cluster.operator().pid();
    int starts = cluster.operator().starts();

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();

    await("a new operator process")
        .atMost(Duration.ofSeconds(20))
        .until(() -> cluster.operator().starts() == starts + 1);
    assertThat(cluster.operator().pid()).isNotEqualTo(pid);
    assertThat(ProcessHandle.of(cluster.operator().pid()).map(ProcessHandle::isAlive))
        .contains(true);
    Changes.applyVirtualService(cluster, "after-crash", 8089, "client-ip");
    Changes.awaitReady(cluster, "after-crash", Duration.ofSeconds(90));
    Changes.delete(cluster, "VirtualService", "after-crash");
  }
}
