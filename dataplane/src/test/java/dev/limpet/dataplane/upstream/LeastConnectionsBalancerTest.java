package dev.limpet.dataplane.upstream;

import static dev.limpet.dataplane.upstream.TestServers.fromIp;
import static dev.limpet.dataplane.upstream.TestServers.picks;
import static dev.limpet.dataplane.upstream.TestServers.server;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.http.ClientRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LeastConnectionsBalancerTest {
  private static final ClientRequest REQUEST = fromIp("192.0.2.7");

  @Test
  void picksTheServerWithFewestRequestsInFlight() {
    Server a = busy(server("a", 1), 2);
    Server b = busy(server("b", 1), 1);
    Server c = busy(server("c", 1), 3);

    assertThat(new LeastConnectionsBalancer(List.of(a, b, c)).pick(REQUEST)).isSameAs(b);
  }

  @Test
  void weighsRequestsInFlightByRatio() {
    Server heavy = busy(server("a", 3), 2); // 2/3 of its capacity
    Server light = busy(server("b", 1), 1); // all of it

    assertThat(new LeastConnectionsBalancer(List.of(light, heavy)).pick(REQUEST)).isSameAs(heavy);
  }

  @Test
  void breaksTiesByWeightedRoundRobin() {
    Balancer lc = new LeastConnectionsBalancer(List.of(server("a", 2), server("b", 1)));

    assertThat(picks(lc, REQUEST, 6)).containsExactly("a", "b", "a", "a", "b", "a");
  }

  @Test
  void rotatesAmongTheLeastLoadedOnly() {
    Server a = server("a", 1);
    Server b = server("b", 1);
    Server c = busy(server("c", 1), 1);
    Balancer lc = new LeastConnectionsBalancer(List.of(a, b, c));

    assertThat(picks(lc, REQUEST, 4)).containsExactly("a", "b", "a", "b");
  }

  @Test
  void skipsServersThatDoNotAcceptNewClients() {
    Server idleButDown = server("a", 1);
    idleButDown.setHealthy(false);
    Server busy = busy(server("b", 1), 5);

    Balancer lc = new LeastConnectionsBalancer(List.of(idleButDown, busy));
    assertThat(lc.pick(REQUEST)).isSameAs(busy);

    busy.setHealthy(false);
    assertThat(lc.pick(REQUEST)).isNull();
  }

  private static Server busy(Server s, int requests) {
    for (int i = 0; i < requests; i++) s.requestStarted();
    return s;
  }
}
