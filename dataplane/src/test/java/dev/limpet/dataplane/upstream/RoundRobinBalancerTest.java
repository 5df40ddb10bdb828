package dev.limpet.dataplane.upstream;

import static dev.limpet.dataplane.upstream.TestServers.fromIp;
import static dev.limpet.dataplane.upstream.TestServers.picks;
import static dev.limpet.dataplane.upstream.TestServers.server;
import static dev.limpet.dataplane.upstream.TestServers.shares;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.limpet.contract.ServerConfig;
import dev.limpet.dataplane.http.ClientRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RoundRobinBalancerTest {
  private static final ClientRequest REQUEST = fromIp("192.0.2.7");

  @Test
  void interleavesByRatioInsteadOfBursting() {
    Balancer rr = new RoundRobinBalancer(List.of(server("a", 5), server("b", 1), server("c", 1)));

    // nginx's documented sequence for weights 5, 1, 1.
    assertThat(picks(rr, REQUEST, 14))
        .containsExactly("a", "a", "b", "a", "c", "a", "a", "a", "a", "b", "a", "c", "a", "a");
  }

  @Test
  void givesEachServerExactlyItsShareOverWholeCycles() {
    Balancer rr = new RoundRobinBalancer(List.of(server("a", 3), server("b", 2), server("c", 1)));

    assertThat(shares(rr, REQUEST, 6000)).isEqualTo(Map.of("a", 3000, "b", 2000, "c", 1000));
  }

  @Test
  void skipsADownServerAndKeepsTheOthersRatio() {
    Server a = server("a", 1);
    Server b = server("b", 1);
    Server c = server("c", 2);
    Balancer rr = new RoundRobinBalancer(List.of(a, b, c));
    picks(rr, REQUEST, 5); // mid-cycle, so b goes down with running weights in play

    b.setHealthy(false);
    Map<String, Integer> whileDown = shares(rr, REQUEST, 3000);
    b.setHealthy(true);
    Map<String, Integer> afterReturn = shares(rr, REQUEST, 4000);

    // The running weights left over from before the change shift a window by at most one pick.
    assertThat(whileDown).containsOnlyKeys("a", "c");
    assertThat(whileDown.get("a")).isCloseTo(1000, within(1));
    assertThat(whileDown.get("c")).isCloseTo(2000, within(1));
    assertThat(afterReturn.get("a")).isCloseTo(1000, within(1));
    assertThat(afterReturn.get("b")).isCloseTo(1000, within(1));
    assertThat(afterReturn.get("c")).isCloseTo(2000, within(1));
  }

  @Test
  void skipsDrainingDisabledAndFullServers() {
    Server draining =
        new Server(new ServerConfig("d", "10.0.0.4", 80, 1, true, true, null), 0, 0, () -> 0);
    Server disabled =
        new Server(new ServerConfig("e", "10.0.0.5", 80, 1, false, false, null), 0, 0, () -> 0);
    Server full =
        new Server(new ServerConfig("f", "10.0.0.6", 80, 1, true, false, null), 1, 0, () -> 0);
    assertThat(full.tryOpenConnection()).isTrue();
    Balancer rr =
        new RoundRobinBalancer(List.of(server("a", 1), draining, disabled, full, server("c", 1)));

    assertThat(picks(rr, REQUEST, 4)).containsExactly("a", "c", "a", "c");

    full.connectionClosed();
    assertThat(shares(rr, REQUEST, 300)).isEqualTo(Map.of("a", 100, "c", 100, "f", 100));
  }

  @Test
  void returnsNullWhenNoServerAcceptsClients() {
    Server a = server("a", 1);
    a.setHealthy(false);

    assertThat(new RoundRobinBalancer(List.of(a)).pick(REQUEST)).isNull();
    assertThat(new RoundRobinBalancer(List.of()).pick(REQUEST)).isNull();
  }

  @Test
  void concurrentPicksStillGiveExactShares() throws Exception {
    Balancer rr = new RoundRobinBalancer(List.of(server("a", 2), server("b", 1)));
    Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done =
          List.of(
              threads.submit(() -> count(rr, counts, 30_000)),
              threads.submit(() -> count(rr, counts, 30_000)));
      for (Future<?> f : done) f.get(5, TimeUnit.SECONDS);
    } finally {
      threads.shutdownNow();
    }

    assertThat(counts.get("a")).hasValue(40_000);
    assertThat(counts.get("b")).hasValue(20_000);
  }

  private static void count(Balancer rr, Map<String, AtomicInteger> counts, int picks) {
    for (int i = 0; i < picks; i++)
      counts.computeIfAbsent(rr.pick(REQUEST).name(), k -> new AtomicInteger()).incrementAndGet();
  }
}
