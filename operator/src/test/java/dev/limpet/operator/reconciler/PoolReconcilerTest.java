package dev.limpet.operator.reconciler;

import static dev.limpet.operator.RunningOperator.eventually;
import static dev.limpet.operator.TestResources.cookieProfile;
import static dev.limpet.operator.TestResources.service;
import static dev.limpet.operator.TestResources.servicePool;
import static dev.limpet.operator.TestResources.slice;
import static dev.limpet.operator.TestResources.staticPool;
import static dev.limpet.operator.TestResources.virtualService;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.ConfigLoader;
import dev.limpet.contract.PersistenceProfileConfig;
import dev.limpet.contract.ServerConfig;
import dev.limpet.operator.TestResources.Ep;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.PersistenceProfileSpec;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.PoolSpec;
import dev.limpet.operator.api.PoolStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolReconcilerTest extends OperatorOnMockApi {

  @Test
  void aServiceWithNoReadyEndpointSaysSoUntilAPodIsReady() throws Exception {
    operator.create(service("web", "http"));
    operator.create(
        slice("web-1", "web", "http", new Ep("10.1.0.1", "web-a", false, false, false)));
    operator.create(
        servicePool("web", "web", new IntOrString("http"), PoolSpec.HeaderValueSource.PodName));
    eventually()
        .untilAsserted(
            () -> {
              Condition available = poolCondition("ServersAvailable");
              assertThat(available.getStatus()).isEqualTo("False");
              assertThat(available.getReason()).isEqualTo("NoReadyEndpoints");
              assertThat(available.getMessage())
                  .contains("Service 'web' has no ready endpoint", "readiness probes");
              assertThat(poolCondition("Ready").getStatus()).isEqualTo("False");
            });

    webEndpoints(Ep.ready("10.1.0.1", "web-a"));
    eventually()
        .untilAsserted(
            () -> {
              assertThat(poolCondition("ServersAvailable").getStatus()).isEqualTo("True");
              assertThat(poolCondition("Ready").getStatus()).isEqualTo("True");
            });
  }

  @Test
  void aMissingServiceIsCalledMissingByServersAvailableToo() throws Exception {
    operator.create(
        servicePool("web", "web", new IntOrString("http"), PoolSpec.HeaderValueSource.PodName));
    eventually()
        .untilAsserted(
            () -> {
              assertThat(poolCondition("ResolvedRefs").getMessage())
                  .isEqualTo("Not found: Service 'web'.");
              Condition available = poolCondition("ServersAvailable");
              assertThat(available.getStatus()).isEqualTo("False");
              assertThat(available.getMessage())
                  .startsWith("Service 'web' does not exist")
                  .doesNotContain("ready endpoint");
            });

    operator.create(service("web", "http"));
    operator.create(slice("web-1", "web", "http", Ep.ready("10.1.0.1", "web-a")));
    eventually()
        .untilAsserted(
            () -> assertThat(poolCondition("ServersAvailable").getStatus()).isEqualTo("True"));
  }

  private Condition poolCondition(String type) {
    return operator.condition(Pool.class, "web", type).orElseThrow();
  }

  @Test
  void endpointSliceChangesReachTheRenderedConfiguration() throws Exception {
    operator.create(service("web", "http"));
    operator.create(
        slice(
            "web-1", "web", "http", Ep.ready("10.1.0.1", "web-a"), Ep.ready("10.1.0.2", "web-b")));
    operator.create(
        servicePool("web", "web", new IntOrString("http"), PoolSpec.HeaderValueSource.PodName));
    operator.create(virtualService("shop", 80, "web"));

    eventually()
        .untilAsserted(
            () -> {
              assertThat(servers())
                  .extracting(ServerConfig::key)
                  .containsExactly("10.1.0.1:8080", "10.1.0.2:8080");
              assertThat(servers())
                  .extracting(ServerConfig::headerValue)
                  .containsExactly("web-a", "web-b");
              assertThat(operator.get(Pool.class, "web").getStatus())
                  .isNotNull()
                  .extracting(PoolStatus::servers)
                  .isEqualTo("2/2");
            });

    // scale up
    webEndpoints(
        Ep.ready("10.1.0.1", "web-a"),
        Ep.ready("10.1.0.2", "web-b"),
        Ep.ready("10.1.0.3", "web-c"));
    eventually()
        .untilAsserted(
            () -> {
              assertThat(servers()).hasSize(3);
              assertThat(operator.get(Pool.class, "web").getStatus().servers()).isEqualTo("3/3");
            });

    // a pod terminating: serving, not ready -> draining
    webEndpoints(
        Ep.terminating("10.1.0.1", "web-a"),
        Ep.ready("10.1.0.2", "web-b"),
        Ep.ready("10.1.0.3", "web-c"));
    eventually()
        .untilAsserted(
            () -> {
              assertThat(servers())
                  .filteredOn(ServerConfig::draining)
                  .extracting(ServerConfig::key)
                  .containsExactly("10.1.0.1:8080");
              assertThat(operator.get(Pool.class, "web").getStatus().servers()).isEqualTo("2/3");
            });

    // scale down
    webEndpoints(Ep.ready("10.1.0.3", "web-c"));
    eventually()
        .untilAsserted(
            () ->
                assertThat(servers())
                    .extracting(ServerConfig::key)
                    .containsExactly("10.1.0.3:8080"));

    // the Service port renamed: the Pool's reference no longer resolves, the data plane keeps the
    // last good servers
    client.resource(service("web", "web-http")).update();
    replaceSlice(
        slice(
            "web-1",
            "web",
            "web-http",
            Ep.ready("10.1.0.3", "web-c"),
            Ep.ready("10.1.0.4", "web-d")));
    eventually()
        .untilAsserted(
            () -> {
              Condition refs = condition("web", "ResolvedRefs");
              assertThat(refs.getStatus()).isEqualTo("False");
              assertThat(refs.getMessage()).contains("Service 'web' has no port named 'http'");
            });

    // the Pool follows the rename
    operator.edit(
        Pool.class,
        "web",
        p -> p.setSpec(withServicePort(p.getSpec(), new IntOrString("web-http"))));
    eventually()
        .untilAsserted(
            () -> {
              assertThat(condition("web", "ResolvedRefs").getStatus()).isEqualTo("True");
              assertThat(servers())
                  .extracting(ServerConfig::key)
                  .containsExactly("10.1.0.3:8080", "10.1.0.4:8080");
            });
  }

  @Test
  void aMissingProfileIsNamedAndAnInvalidOneIsNotAccepted() {
    operator.create(staticPool("p", "sticky", "10.0.0.1"));
    eventually()
        .untilAsserted(
            () -> {
              Condition refs = condition("p", "ResolvedRefs");
              assertThat(refs.getStatus()).isEqualTo("False");
              assertThat(refs.getReason()).isEqualTo("RefNotFound");
              assertThat(refs.getMessage()).contains("PersistenceProfile 'sticky'");
              assertThat(condition("p", "Accepted").getStatus()).isEqualTo("True");
            });

    PersistenceProfile profile = cookieProfile("sticky");
    profile.setSpec(withSameSiteNone(profile.getSpec(), false));
    operator.create(profile);
    eventually()
        .untilAsserted(
            () -> {
              Condition accepted =
                  operator.condition(PersistenceProfile.class, "sticky", "Accepted").orElseThrow();
              assertThat(accepted.getStatus()).isEqualTo("False");
              assertThat(accepted.getMessage())
                  .contains("spec.httpCookie.sameSite")
                  .contains("secure");
              assertThat(condition("p", "ResolvedRefs").getReason()).isEqualTo("RefNotReady");
            });

    operator.edit(
        PersistenceProfile.class, "sticky", p -> p.setSpec(withSameSiteNone(p.getSpec(), true)));
    eventually()
        .untilAsserted(
            () -> {
              assertThat(
                      operator
                          .condition(PersistenceProfile.class, "sticky", "Ready")
                          .orElseThrow()
                          .getStatus())
                  .isEqualTo("True");
              assertThat(condition("p", "ResolvedRefs").getStatus()).isEqualTo("True");
              assertThat(condition("p", "Ready").getStatus()).isEqualTo("True");
            });
  }

  @Test
  void headerValuesFromAPodLabelFollowTheLabel() throws Exception {
    operator.create(pod("web-a", "shard-1"));
    operator.create(pod("web-b", "shard-2"));
    operator.create(service("web", "http"));
    operator.create(
        slice(
            "web-1", "web", "http", Ep.ready("10.1.0.1", "web-a"), Ep.ready("10.1.0.2", "web-b")));
    Pool pool = servicePool("web", "web", new IntOrString("http"), null);
    var ref = pool.getSpec().service();
    pool.setSpec(
        withService(
            pool.getSpec(),
            new PoolSpec.ServiceRef(
                ref.name(), ref.port(), null, PoolSpec.HeaderValueSource.PodLabel, "shard")));
    operator.create(pool);
    operator.create(virtualService("shop", 80, "web"));

    eventually()
        .untilAsserted(
            () ->
                assertThat(servers())
                    .extracting(ServerConfig::headerValue)
                    .containsExactly("shard-1", "shard-2"));

    operator.edit(
        io.fabric8.kubernetes.api.model.Pod.class,
        "web-b",
        p -> p.getMetadata().getLabels().put("shard", "shard-9"));

    eventually()
        .untilAsserted(
            () ->
                assertThat(servers())
                    .extracting(ServerConfig::headerValue)
                    .containsExactly("shard-1", "shard-9"));
  }

  private static io.fabric8.kubernetes.api.model.Pod pod(String name, String shard) {
    return new io.fabric8.kubernetes.api.model.PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(dev.limpet.operator.TestResources.NS)
        .addToLabels("app", "web")
        .addToLabels("shard", shard)
        .endMetadata()
        .build();
  }

  private static PoolSpec withService(PoolSpec s, PoolSpec.ServiceRef service) {
    return new PoolSpec(
        s.persistenceProfile(),
        s.loadBalancing(),
        s.healthMonitors(),
        service,
        s.servers(),
        s.maxConnectionsPerServer(),
        s.drainPeriodSeconds(),
        s.tunnelDrainSeconds(),
        s.protocol());
  }

  private List<ServerConfig> servers() throws Exception {
    return ConfigLoader.parse(operator.groupConfig("default").orElseThrow())
        .pools()
        .get(0)
        .servers();
  }

  /** Service web's EndpointSlice web-1 now lists {@code endpoints} on its port http. */
  private void webEndpoints(Ep... endpoints) {
    replaceSlice(slice("web-1", "web", "http", endpoints));
  }

  private void replaceSlice(EndpointSlice slice) {
    EndpointSlice current = operator.get(EndpointSlice.class, slice.getMetadata().getName());
    slice.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
    client.resource(slice).update();
  }

  private Condition condition(String pool, String type) {
    return operator.condition(Pool.class, pool, type).orElseThrow();
  }

  private static PoolSpec withServicePort(PoolSpec s, IntOrString port) {
    var ref = s.service();
    return withService(
        s,
        new PoolSpec.ServiceRef(
            ref.name(), port, ref.ratio(), ref.headerValueFrom(), ref.headerValueLabel()));
  }

  private static PersistenceProfileSpec withSameSiteNone(PersistenceProfileSpec s, boolean secure) {
    var c = s.httpCookie();
    return PersistenceProfileSpec.of(
        s.type(),
        s.onServerDown(),
        new PersistenceProfileConfig.HttpCookie(
            c.name(),
            c.timeoutMinutes(),
            c.maxAgeSeconds(),
            c.path(),
            c.domain(),
            secure,
            c.httpOnly(),
            PersistenceProfileConfig.SameSite.None));
  }
}
