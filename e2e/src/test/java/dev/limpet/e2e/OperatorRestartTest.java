package dev.limpet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.e2e.local.LocalCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator restarted under load (a new process, a new pod name, taking the Lease over): nothing
 * changes for clients, and a change applied afterwards is programmed by the new operator.
 */
@ExtendWith(SharedCluster.class)
@Timeout(180)
class OperatorRestartTest {

  @Test
  void restartingTheOperatorChangesNothingForClients() throws Exception {
    LocalCluster cluster = SharedCluster.cluster();
    PinnedLoad load = new PinnedLoad(cluster.dataPlanes());
    load.start(Duration.ofSeconds(120), 200_000);
    await().atMost(Duration.ofSeconds(20)).until(() -> load.requests() > 300);

    long restartedAt = System.nanoTime();
    cluster.operator().restart();
    Changes.applyVirtualService(cluster, "after-restart", 8087, "client-ip");
    Changes.awaitReady(cluster, "after-restart", Duration.ofSeconds(90));
    long programmedAfterMs = (System.nanoTime() - restartedAt) / 1_000_000;
    PinnedLoad.Result result = load.stop();

    System.out.printf(
        "E2E FIGURE operator restart: %s; a VirtualService applied at the restart was Ready after"
            + " %d ms%n",
        result, programmedAfterMs);
    assertThat(result.failures()).isZero();
    assertThat(result.moved()).isEmpty();
    assertThat(
            HttpAnswer.get(null, cluster.dataPlanes().ip(1), 8087, "/", java.util.Map.of())
                .status())
        .isEqualTo(200);
    Changes.delete(cluster, "VirtualService", "after-restart");
  }
}
