package dev.limpet.dataplane.upstream;

import static dev.limpet.dataplane.upstream.TestServers.config;
import static dev.limpet.dataplane.upstream.TestServers.fromIp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.limpet.contract.DataPlaneConfig;
import dev.limpet.contract.HealthMonitorConfig;
import dev.limpet.contract.LoadBalancingConfig;
import dev.limpet.contract.LoadBalancingConfig.Algorithm;
import dev.limpet.contract.PersistenceProfileConfig.OnServerDown;
import dev.limpet.contract.PoolConfig;
import dev.limpet.contract.ServerConfig;
import dev.limpet.dataplane.http.ClientRequest;
import dev.limpet.dataplane.persistence.Persistence;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PoolCatalogTest {
  private static final HealthMonitorConfig TCP =
      new HealthMonitorConfig("tcp", HealthMonitorConfig.Type.Tcp, 0, 0, 0, 0, null);
  private static final HealthMonitorConfig HTTP =
      new HealthMonitorConfig("http", HealthMonitorConfig.Type.Http, 0, 0, 0, 0, null);

  private final List<PoolConfig> persistenceMadeFor = new ArrayList<>();
  private final Function<PoolConfig, Persistence> persistenceFactory =
      pool -> {
        persistenceMadeFor.add(pool);
        return new NoPersistence();
      };

  @Test
  void buildsEachPoolWithItsServersMonitorsAndPersistence() {
    PoolCatalog catalog =
        build(
            PoolCatalog.EMPTY,
            pool("web", List.of("tcp", "http"), null, config("a1", 1), config("b2", 2)),
            new PoolConfig("sticky", null, List.of(config("c3", 1)), null, "cookie", 0, 0));

    Pool web = catalog.pool("web");
    assertThat(web.servers()).extracting(Server::name).containsExactly("a1", "b2");
    assertThat(web.server(config("b2", 1).key())).isSameAs(web.serverByName("b2"));
    assertThat(web.server("10.9.9.9:80")).isNull();
    assertThat(web.healthMonitors()).containsExactly(TCP, HTTP);
    assertThat(web.persistence()).isNull();
    assertThat(web.serversUp()).isEqualTo(2);
    assertThat(web.pick(fromIp("192.0.2.1"))).isIn(web.servers());
    assertThat(catalog.pool("sticky").persistence()).isInstanceOf(NoPersistence.class);
    assertThat(persistenceMadeFor).extracting(PoolConfig::name).containsExactly("sticky");
    assertThat(catalog.pools()).extracting(Pool::name).containsExactly("web", "sticky");
    assertThat(catalog.pool("nope")).isNull();
  }

  @Test
  void anUnchangedPoolIsKeptWhole() {
    PoolConfig web = pool("web", List.of("tcp"), null, config("a1", 1), config("b2", 1));
    PoolCatalog first = build(PoolCatalog.EMPTY, web);

    PoolCatalog second = build(first, web);

    assertThat(second.pool("web")).isSameAs(first.pool("web"));
  }

  @Test
  void aChangedServerKeepsItsStateAndTheOthersKeepTheirObjects() {
    PoolCatalog first =
        build(PoolCatalog.EMPTY, pool("web", List.of(), null, config("a1", 1), config("b2", 1)));
    Server a = first.pool("web").serverByName("a1");
    Server b = first.pool("web").serverByName("b2");
    a.setHealthy(false);
    a.requestStarted();

    PoolCatalog second =
        build(first, pool("web", List.of(), null, config("a1", 3), config("b2", 1)));

    Server a2 = second.pool("web").serverByName("a1");
    assertThat(a2).isNotSameAs(a);
    assertThat(a2.ratio()).isEqualTo(3);
    assertThat(a2.healthy()).isFalse();
    assertThat(a2.activeRequests()).isEqualTo(1);
    assertThat(second.pool("web").serverByName("b2")).isSameAs(b);
    assertThat(second.pool("web").balancer()).isNotSameAs(first.pool("web").balancer());
  }

  @Test
  void removedServersAreGoneAndNewOnesStartHealthy() {
    PoolCatalog first =
        build(PoolCatalog.EMPTY, pool("web", List.of(), null, config("a1", 1), config("b2", 1)));
    first.pool("web").servers().forEach(s -> s.setHealthy(false));

    PoolCatalog second =
        build(first, pool("web", List.of(), null, config("b2", 1), config("c3", 1)));

    Pool web = second.pool("web");
    assertThat(web.servers()).extracting(Server::name).containsExactly("b2", "c3");
    assertThat(web.serverByName("a1")).isNull();
    assertThat(web.serverByName("b2").healthy()).isFalse();
    assertThat(web.serverByName("c3").healthy()).isTrue();
    assertThat(web.serversUp()).isEqualTo(1);
  }

  @Test
  void aPoolWithTheSameServersAndBalancingKeepsServersAndBalancer() {
    PoolCatalog first =
        build(PoolCatalog.EMPTY, pool("web", List.of("tcp"), null, config("a1", 1)));

    PoolCatalog second =
        build(first, pool("web", List.of("tcp", "http"), "cookie", config("a1", 1)));

    Pool before = first.pool("web");
    Pool after = second.pool("web");
    assertThat(after).isNotSameAs(before);
    assertThat(after.serverByName("a1")).isSameAs(before.serverByName("a1"));
    assertThat(after.balancer()).isSameAs(before.balancer());
    assertThat(after.healthMonitors()).containsExactly(TCP, HTTP);
    assertThat(after.persistence()).isNotNull();
  }

  @Test
  void newLoadBalancingGetsANewBalancerOverTheSameServers() {
    PoolCatalog first = build(PoolCatalog.EMPTY, pool("web", List.of(), null, config("a1", 1)));
    PoolConfig leastConnections =
        new PoolConfig(
            "web",
            new LoadBalancingConfig(Algorithm.LeastConnections, null, null),
            List.of(config("a1", 1)),
            null,
            null,
            0,
            0);

    Pool after = build(first, leastConnections).pool("web");

    assertThat(after.balancer()).isInstanceOf(LeastConnectionsBalancer.class);
    assertThat(after.serverByName("a1")).isSameAs(first.pool("web").serverByName("a1"));
  }

  @Test
  void aNewConnectionLimitReconfiguresEveryServer() {
    PoolCatalog first = build(PoolCatalog.EMPTY, pool("web", List.of(), null, config("a1", 1)));
    Server a = first.pool("web").serverByName("a1");
    assertThat(a.tryOpenConnection()).isTrue();
    PoolConfig limited = new PoolConfig("web", null, List.of(config("a1", 1)), null, null, 1, 0);

    Server limitedA = build(first, limited).pool("web").serverByName("a1");

    assertThat(limitedA).isNotSameAs(a);
    assertThat(limitedA.atConnectionLimit()).isTrue();
  }

  @Test
  void refusesAPoolThatNamesAMissingMonitor() {
    assertThatThrownBy(
            () -> build(PoolCatalog.EMPTY, pool("web", List.of("gone"), null, config("a1", 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("web")
        .hasMessageContaining("gone");
  }

  private PoolCatalog build(PoolCatalog previous, PoolConfig... pools) {
    DataPlaneConfig config =
        new DataPlaneConfig(null, null, List.of(pools), null, List.of(TCP, HTTP), null, null, null);
    return PoolCatalog.build(config, previous, persistenceFactory, () -> 0);
  }

  private static PoolConfig pool(
      String name, List<String> monitors, String persistence, ServerConfig... servers) {
    return new PoolConfig(name, null, List.of(servers), monitors, persistence, 0, 0);
  }

  /** A persistence that pins nothing: the catalog only passes it through. */
  private static final class NoPersistence implements Persistence {
    @Override
    public String pinnedServer(ClientRequest request) {
      return null;
    }

    @Override
    public void remember(ClientRequest request, String serverKey) {}

    @Override
    public void onResponse(
        ClientRequest request, String pinnedKey, String servedKey, HttpHeaders responseHeaders) {}

    @Override
    public OnServerDown onServerDown() {
      return OnServerDown.Immediate;
    }
  }
}
