package dev.limpet.dataplane.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.dataplane.testing.Client;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code avi.vs.se_count()} is the number of replicas serving: it follows replicas that come and
 * go.
 */
@Timeout(60)
class SeCountTest {
  private static final String CONFIG =
      """
      virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web, dataScripts: [count]}]
      pools: [{name: web, servers: ${servers}}]
      dataScripts:
        - name: count
          events:
            httpRequest: |
              avi.http.response(200, {}, "replicas=" .. avi.vs.se_count())
      """;

  private ReplicaCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) cluster.close();
  }

  private String count(int replica) {
    return new Client(cluster.port(replica)).get("/").body();
  }

  @Test
  void countsTheReplicasLinkedNow() throws Exception {
    cluster = new ReplicaCluster(2, 231, CONFIG);
    cluster.start(0);
    assertThat(count(0)).isEqualTo("replicas=1");

    cluster.start(1);
    await().atMost(Duration.ofSeconds(20)).until(() -> count(0).equals("replicas=2"));
    await().atMost(Duration.ofSeconds(20)).until(() -> count(1).equals("replicas=2"));

    cluster.stop(1);
    await().atMost(Duration.ofSeconds(20)).until(() -> count(0).equals("replicas=1"));
  }
}
