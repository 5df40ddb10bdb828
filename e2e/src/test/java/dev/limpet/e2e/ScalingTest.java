package dev.limpet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.e2e.local.DemoDeployment;
import dev.limpet.e2e.local.LocalCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The backend Service scaled up and down (kubectl scale on its Deployment): new pods take new
 * clients, persisted clients stay where they are, and only the clients of removed pods move.
 */
@ExtendWith(SharedCluster.class)
@Timeout(180)
class ScalingTest {
  final LocalCluster cluster = SharedCluster.cluster();
  final DemoDeployment demo = cluster.demo();

  @AfterEach
  void backToThree() {
    demo.scale(3);
    await().atMost(Duration.ofSeconds(60)).until(() -> demo.pods().size() == 3);
  }

  @Test
  void scalingUpTakesNewClientsAndKeepsTheOld() throws Exception {
    Map<String, String> before = pinCookieClients(12);
    List<String> podsBefore = demo.pods();

    demo.scale(5);
    await().atMost(Duration.ofSeconds(60)).until(() -> demo.pods().size() == 5);
    Set<String> newPods = new HashSet<>(demo.pods());
    newPods.removeAll(podsBefore);
    assertThat(newPods).hasSize(2);

    Set<String> usedByNewClients = new HashSet<>();
    await("new clients reach the new pods")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              usedByNewClients.addAll(pinCookieClients(6).values());
              return usedByNewClients.containsAll(newPods);
            });
    assertThat(currentPods(before)).isEqualTo(before);
  }

  @Test
  void scalingDownMovesOnlyTheClientsOfRemovedPods() throws Exception {
    demo.scale(5);
    await().atMost(Duration.ofSeconds(60)).until(() -> demo.pods().size() == 5);
    awaitPodsServing(5);
    Map<String, String> before = pinCookieClients(20);

    demo.scale(2);
    await().atMost(Duration.ofSeconds(60)).until(() -> demo.pods().size() == 2);
    List<String> kept = demo.pods();
    // once the operator has rendered the smaller pool, every client is answered by a kept pod
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> kept.containsAll(currentPods(before).values()));
    int moved = 0;
    for (var client : before.entrySet()) {
      Map<String, String> cookie = Map.of("Cookie", "LIMPET=" + client.getKey());
      HttpAnswer now = Replicas.get(0, ExamplesTest.HTTP_COOKIE, cookie);
      if (kept.contains(client.getValue())) {
        assertThat(now.backend()).as("a client of a kept pod stays").isEqualTo(client.getValue());
        continue;
      }
      // a client of a removed pod gets a new pod and a new cookie, and stays there with it
      moved++;
      Map<String, String> renewed = Map.of("Cookie", "LIMPET=" + now.setCookie("LIMPET"));
      for (int r = 0; r < 6; r++)
        assertThat(Replicas.get(r % 2, ExamplesTest.HTTP_COOKIE, renewed).backend())
            .isEqualTo(now.backend());
    }
    assertThat(moved).as("clients of the three removed pods").isGreaterThan(0);
  }

  private void awaitPodsServing(int count) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              Set<String> seen = new HashSet<>();
              for (int i = 0; i < 30; i++)
                seen.add(Replicas.get(i % 2, ExamplesTest.HTTP_COOKIE, Map.of()).backend());
              return seen.size() == count;
            });
  }

  /** New HttpCookie clients: cookie → pod of their first answer. */
  private static Map<String, String> pinCookieClients(int n) throws Exception {
    Map<String, String> pods = new HashMap<>();
    for (int i = 0; i < n; i++) {
      HttpAnswer first = Replicas.get(i % 2, ExamplesTest.HTTP_COOKIE, Map.of());
      pods.put(first.setCookie("LIMPET"), first.backend());
    }
    return pods;
  }

  /** Where each client's next request goes, on alternating replicas. */
  private static Map<String, String> currentPods(Map<String, String> clients) throws Exception {
    Map<String, String> now = new HashMap<>();
    int i = 0;
    for (String cookie : clients.keySet())
      now.put(
          cookie,
          Replicas.get(i++ % 2, ExamplesTest.HTTP_COOKIE, Map.of("Cookie", "LIMPET=" + cookie))
              .backend());
    return now;
  }
}
