package dev.limpet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.e2e.local.LocalCluster;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API server unreachable for the operator and the data planes for a while (every connection
 * dropped, new ones refused): traffic keeps flowing on the last configuration, and a change made
 * during the outage is programmed once the API is back.
 */
@ExtendWith(SharedCluster.class)
@Timeout(180)
class ApiOutageTest {
  static final Duration OUTAGE = Duration.ofSeconds(15);

  @Test
  void trafficKeepsFlowingWhileTheApiIsUnreachable() throws Exception {
    LocalCluster cluster = SharedCluster.cluster();
    PinnedLoad load = new PinnedLoad(cluster.dataPlanes());
    load.start(Duration.ofSeconds(120), 200_000);
    await().atMost(Duration.ofSeconds(20)).until(() -> load.requests() > 300);

    cluster.disconnectApi();
    int before = load.requests();
    try {
      Changes.applyVirtualService(cluster, "during-outage", 8088, "http-cookie");
      Thread.sleep(OUTAGE.toMillis()); // the outage itself: nothing to wait for
    } finally {
      cluster.reconnectApi();
    }
    int duringOutage = load.requests() - before;
    long reconnectedAt = System.nanoTime();
    Changes.awaitReady(cluster, "during-outage", Duration.ofSeconds(90));
    long programmedAfterMs = (System.nanoTime() - reconnectedAt) / 1_000_000;
    PinnedLoad.Result result = load.stop();

    System.out.printf(
        "E2E FIGURE API outage of %d s: %s (%d requests during the outage); the VirtualService"
            + " applied during it was Ready %d ms after the API came back%n",
        OUTAGE.toSeconds(), result, duringOutage, programmedAfterMs);
    assertThat(duringOutage).isGreaterThan(100);
    assertThat(result.failures()).isZero();
    assertThat(result.moved()).isEmpty();
    assertThat(HttpAnswer.get(null, cluster.dataPlanes().ip(0), 8088, "/", Map.of()).status())
        .isEqualTo(200);
    Changes.delete(cluster, "VirtualService", "during-outage");
  }
}
