package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.ConfigLoader;
import dev.limpet.contract.PersistenceProfileConfig.OnServerDown;
import dev.limpet.dataplane.http.ClientRequest;
import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import dev.limpet.dataplane.persistence.Persistence;
import dev.limpet.dataplane.upstream.PoolCatalog;
import dev.limpet.dataplane.upstream.Server;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BalancingTest {
  /** Pins each client address to the server it was first given; counts holds. */
  static final class PinByAddress implements Persistence {
    final Map<String, String> pins = new HashMap<>();
    int holds;
    int released;

    @Override
    public String pinnedServer(ClientRequest request) {
      return pins.get(request.client().getAddress().getHostAddress());
    }

    @Override
    public void remember(ClientRequest request, String serverKey) {
      pins.put(request.client().getAddress().getHostAddress(), serverKey);
    }

    @Override
    public void onResponse(
        ClientRequest request, String pinnedKey, String servedKey, HttpHeaders headers) {
      headers.set("X-Served", servedKey);
    }

    @Override
    public Hold holdWhileConnected(ClientRequest request) {
      holds++;
      return () -> released++;
    }

    @Override
    public OnServerDown onServerDown() {
      return OnServerDown.Immediate;
    }
  }

  private final PinByAddress persistence = new PinByAddress();
  private final PinByAddress otherPersistence = new PinByAddress();
  private final DataPlaneMetrics metrics = new DataPlaneMetrics();
  private PoolCatalog pools;

  static ClientRequest from(String ip) {
    return new ClientRequest(
        new InetSocketAddress(ip, 40000), StageChannels.get("web.example", HttpVersion.HTTP_1_1));
  }

  @BeforeEach
  void build() throws Exception {
    pools =
        PoolCatalog.build(
            ConfigLoader.parse(
                """
                version: "1"
                pools:
                  - name: sticky
                    persistenceProfile: pin
                    servers:
                      - {name: a, ip: 127.0.0.1, port: 9}
                      - {name: b, ip: 127.0.0.2, port: 9}
                  - {name: plain, servers: [{name: c, ip: 127.0.0.3, port: 9}]}
                  - name: other
                    persistenceProfile: pin2
                    servers: [{name: d, ip: 127.0.0.4, port: 9}]
                persistenceProfiles:
                  - {name: pin, type: ClientIP}
                  - {name: pin2, type: ClientIP}
                """),
            PoolCatalog.EMPTY,
            config -> config.name().equals("other") ? otherPersistence : persistence,
            () -> 0);
  }

  private double counted(String outcome) {
    var counter =
        metrics
            .registry()
            .find("limpet_persistence")
            .tag("pool", "sticky")
            .tag("outcome", outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aConnectionHoldsEachPersistenceProfileOnceUntilItCloses() {
    Balancing balancing = new Balancing(metrics);
    ClientRequest request = from("127.0.0.9");
    balancing.start(pools.pool("sticky"), null, request);
    balancing.start(pools.pool("sticky"), null, request);
    balancing.start(pools.pool("plain"), null, request);
    assertThat(persistence.holds).isEqualTo(1);
    assertThat(persistence.released).isZero();
    balancing.release();
    assertThat(persistence.released).isEqualTo(1);
  }

  @Test
  void aConnectionToPoolsOfTwoProfilesHoldsEachOnceAndReleasesEachOnce() {
    Balancing balancing = new Balancing(metrics);
    ClientRequest request = from("127.0.0.9");
    for (int i = 0; i < 3; i++) {
      balancing.start(pools.pool("sticky"), null, request);
      balancing.start(pools.pool("other"), null, request);
    }
    assertThat(persistence.holds).isEqualTo(1);
    assertThat(otherPersistence.holds).isEqualTo(1);
    balancing.release();
    balancing.release(); // a connection closing after its handler left releases once more: no-op
    assertThat(persistence.released).isEqualTo(1);
    assertThat(otherPersistence.released).isEqualTo(1);
  }

  @Test
  void theFirstRequestIsBalancedAndRememberedTheNextGoesToThePinAndBothAreCounted() {
    Balancing balancing = new Balancing(metrics);
    Server first = balancing.next(balancing.start(pools.pool("sticky"), null, from("127.0.0.9")));
    assertThat(counted("miss")).isEqualTo(1.0);
    for (int i = 0; i < 3; i++) {
      ServerChoice choice = balancing.start(pools.pool("sticky"), null, from("127.0.0.9"));
      assertThat(balancing.next(choice)).isSameAs(first);
      assertThat(choice.selection().pinnedKey()).isEqualTo(first.key());
    }
    assertThat(counted("hit")).isEqualTo(3.0);
  }

  @Test
  void aNamedServerIsUsedAndNoServerLeftIsNull() {
    Balancing balancing = new Balancing(metrics);
    Server b = pools.pool("sticky").servers().get(1);
    assertThat(balancing.next(balancing.start(pools.pool("sticky"), b, from("127.0.0.9"))))
        .isSameAs(b);
    pools.pool("plain").servers().forEach(s -> s.setHealthy(false));
    assertThat(balancing.next(balancing.start(pools.pool("plain"), null, from("127.0.0.9"))))
        .isNull();
  }
}
