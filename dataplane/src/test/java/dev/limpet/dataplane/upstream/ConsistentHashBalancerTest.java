package dev.limpet.dataplane.upstream;

import static dev.limpet.dataplane.upstream.TestServers.fromIp;
import static dev.limpet.dataplane.upstream.TestServers.picks;
import static dev.limpet.dataplane.upstream.TestServers.server;
import static dev.limpet.dataplane.upstream.TestServers.withHeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.limpet.contract.LoadBalancingConfig;
import dev.limpet.contract.LoadBalancingConfig.Algorithm;
import dev.limpet.contract.LoadBalancingConfig.HashKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ConsistentHashBalancerTest {
  private static final LoadBalancingConfig BY_IP =
      new LoadBalancingConfig(Algorithm.ConsistentHash, HashKey.ClientIP, null);
  private static final int CLIENTS = 20_000;

  private final List<Server> five =
      List.of(server("s1", 1), server("s2", 1), server("s3", 1), server("s4", 1), server("s5", 1));

  @Test
  void sendsTheSameClientToTheSameServer() {
    Balancer a = new ConsistentHashBalancer(BY_IP, five);
    Balancer sameServersOtherOrder = new ConsistentHashBalancer(BY_IP, reversed(five));

    for (String ip : clientIps(1000)) {
      Server first = a.pick(fromIp(ip));
      assertThat(a.pick(fromIp(ip))).isSameAs(first);
      assertThat(sameServersOtherOrder.pick(fromIp(ip))).isSameAs(first);
    }
  }

  @Test
  void spreadsClientsEvenly() {
    Map<Server, Integer> counts = assign(new ConsistentHashBalancer(BY_IP, five));

    for (Server s : five)
      assertThat(counts.get(s) / (double) CLIENTS)
          .as("share of %s", s)
          .isCloseTo(0.2, within(0.04));
  }

  @Test
  void weighsTheRingByRatio() {
    Server heavy = server("s1", 3);
    Server light = server("s2", 1);
    Map<Server, Integer> counts = assign(new ConsistentHashBalancer(BY_IP, List.of(heavy, light)));

    assertThat(counts.get(heavy) / (double) CLIENTS).isCloseTo(0.75, within(0.04));
  }

  @Test
  void removingOneOfFiveServersMovesOnlyItsClients() {
    Server removed = five.get(2);
    List<Server> four = new ArrayList<>(five);
    four.remove(removed);
    Balancer before = new ConsistentHashBalancer(BY_IP, five);
    Balancer after = new ConsistentHashBalancer(BY_IP, four);

    int moved = 0;
    for (String ip : clientIps(CLIENTS)) {
      Server was = before.pick(fromIp(ip));
      Server now = after.pick(fromIp(ip));
      if (was != removed) assertThat(now).as("client %s", ip).isSameAs(was);
      else moved++;
    }
    assertThat(moved / (double) CLIENTS).isCloseTo(0.2, within(0.04));
  }

  @Test
  void sendsClientsOfAServerThatIsDownToTheNextServersClockwise() {
    Balancer balancer = new ConsistentHashBalancer(BY_IP, five);
    Map<String, Server> before = new HashMap<>();
    for (String ip : clientIps(CLIENTS)) before.put(ip, balancer.pick(fromIp(ip)));
    Server down = five.get(0);

    down.setHealthy(false);

    Set<Server> takenOverBy = new HashSet<>();
    for (String ip : clientIps(CLIENTS)) {
      Server now = balancer.pick(fromIp(ip));
      if (before.get(ip) == down) takenOverBy.add(now);
      else assertThat(now).isSameAs(before.get(ip));
    }
    // Its virtual nodes are spread over the ring, so its clients spread over the others.
    assertThat(takenOverBy).doesNotContain(down).hasSize(4);

    down.setHealthy(true);
    for (String ip : clientIps(CLIENTS))
      assertThat(balancer.pick(fromIp(ip))).isSameAs(before.get(ip));
  }

  @Test
  void hashesAHeader() {
    Balancer balancer =
        new ConsistentHashBalancer(
            new LoadBalancingConfig(Algorithm.ConsistentHash, HashKey.Header, "X-User"), five);

    Set<Server> used = new HashSet<>();
    for (int user = 0; user < 200; user++) {
      Server s = balancer.pick(withHeader("X-User", "user-" + user));
      assertThat(balancer.pick(withHeader("x-user", "user-" + user))).isSameAs(s);
      used.add(s);
    }
    assertThat(used).hasSize(5);
  }

  @Test
  void hashesACookieParsedLeniently() {
    Balancer balancer =
        new ConsistentHashBalancer(
            new LoadBalancingConfig(Algorithm.ConsistentHash, HashKey.Cookie, "SESSION"), five);

    for (int session = 0; session < 200; session++) {
      Server s = balancer.pick(withHeader("Cookie", "SESSION=s" + session));
      assertThat(balancer.pick(withHeader("Cookie", "theme=dark; SESSION=s" + session + "; x=1")))
          .isSameAs(s);
      assertThat(balancer.pick(withHeader("Cookie", "theme=\"dark; SESSION=s" + session)))
          .isSameAs(s);
    }
  }

  @Test
  void requestsWithoutTheKeyGoRoundRobin() {
    Balancer balancer =
        new ConsistentHashBalancer(
            new LoadBalancingConfig(Algorithm.ConsistentHash, HashKey.Cookie, "SESSION"),
            List.of(server("a", 1), server("b", 1)));

    assertThat(picks(balancer, withHeader("Cookie", "other=1"), 4))
        .containsExactly("a", "b", "a", "b");
    assertThat(picks(balancer, withHeader("Cookie", "SESSION="), 2)).containsExactly("a", "b");
  }

  @Test
  void returnsNullWhenNoServerAcceptsClients() {
    five.forEach(s -> s.setHealthy(false));

    assertThat(new ConsistentHashBalancer(BY_IP, five).pick(fromIp("192.0.2.1"))).isNull();
    assertThat(new ConsistentHashBalancer(BY_IP, List.of()).pick(fromIp("192.0.2.1"))).isNull();
  }

  private static Map<Server, Integer> assign(Balancer balancer) {
    Map<Server, Integer> counts = new HashMap<>();
    for (String ip : clientIps(CLIENTS)) counts.merge(balancer.pick(fromIp(ip)), 1, Integer::sum);
    return counts;
  }

  /** Consecutive addresses: the worst case for a weak hash. */
  private static List<String> clientIps(int n) {
    List<String> ips = new ArrayList<>();
    for (int i = 0; i < n; i++)
      ips.add("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
    return ips;
  }

  private static List<Server> reversed(List<Server> servers) {
    List<Server> copy = new ArrayList<>(servers);
    java.util.Collections.reverse(copy);
    return copy;
  }
}
