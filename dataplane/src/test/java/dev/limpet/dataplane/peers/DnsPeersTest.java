package dev.limpet.dataplane.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.dataplane.testing.FreePorts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Discovery through DNS, against a DNS server on loopback that the test controls. */
@Timeout(60)
class DnsPeersTest {
  private static final String NAME = "limpet-peers.shop.svc.cluster.local";
  private static final Duration BOUND = Duration.ofSeconds(15);
  private final List<AutoCloseable> started = new ArrayList<>();
  private FakeDns dns;

  @AfterEach
  void stop() throws Exception {
    for (int i = started.size() - 1; i >= 0; i--) started.get(i).close();
    if (dns != null) dns.close();
  }

  @Test
  void everyAddressIsFoundAndNothingIsCached() throws Exception {
    dns = new FakeDns();
    dns.set(NAME, List.of("127.0.0.21", "127.0.0.22"));
    try (DnsPeers peers = new DnsPeers(NAME, 9902, dns.address())) {
      assertThat(peers.resolve().toCompletableFuture().get(5, TimeUnit.SECONDS))
          .containsExactlyInAnyOrder(
              new InetSocketAddress("127.0.0.21", 9902), new InetSocketAddress("127.0.0.22", 9902));
      dns.set(NAME, List.of("127.0.0.23"));
      assertThat(peers.resolve().toCompletableFuture().get(5, TimeUnit.SECONDS))
          .containsExactly(new InetSocketAddress("127.0.0.23", 9902));
    }
  }

  @Test
  void ipv4AddressesArePreferredWhenANameHasBoth() throws Exception {
    InetAddress v4 = InetAddress.getByName("10.0.0.1");
    InetAddress v6 = InetAddress.getByName("fd00::1");
    assertThat(DnsPeers.preferIpv4(List.of(v6, v4))).containsExactly(v4);
    assertThat(DnsPeers.preferIpv4(List.of(v6))).containsExactly(v6);
  }

  @Test
  void replicasFindEachOtherAndNewcomersThroughTheName() throws Exception {
    dns = new FakeDns();
    int port = FreePorts.next();
    dns.set(NAME, List.of("127.0.0.21", "127.0.0.22"));
    TestReplica a = replica("a", "127.0.0.21", port);
    TestReplica b = replica("b", "127.0.0.22", port);
    await().atMost(BOUND).until(() -> a.service.ready() && b.service.ready());

    TestReplica c = replica("c", "127.0.0.23", port);
    dns.set(NAME, List.of("127.0.0.21", "127.0.0.22", "127.0.0.23"));
    await().atMost(BOUND).until(c.service::ready);
    c.table("persistence/sticky/web")
        .put("192.0.2.1", "10.0.0.1:80", System.currentTimeMillis() + 60_000);
    for (TestReplica r : List.of(a, b))
      await()
          .atMost(BOUND)
          .until(() -> r.table("persistence/sticky/web").lookup("192.0.2.1") != null);

    dns.set(NAME, List.of("127.0.0.21", "127.0.0.23"));
    await()
        .atMost(BOUND)
        .until(() -> !a.service.view().get("receivingFrom").toString().contains("replica=b"));
    assertThat(a.service.view().get("receivingFrom").toString())
        .contains("replica=c", "state=self");
  }

  private TestReplica replica(String id, String ip, int port) throws InterruptedException {
    PeerSettings settings =
        PeerSettings.of(
                id,
                new InetSocketAddress(ip, port),
                new DnsPeers(NAME, port, dns.address()),
                TestReplica.SECRET)
            .withTiming(TestReplica.TIMING);
    TestReplica replica = new TestReplica(settings);
    started.add(replica);
    return replica;
  }
}
