package dev.limpet.dataplane.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.contract.DataPlaneGroup;
import dev.limpet.dataplane.testing.Client;
import dev.limpet.dataplane.testing.GroupConfigMap;
import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.testsupport.MockApi;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real data plane fed by a ConfigMap on the mock API server (CRUD mode): loaded at start, updates
 * applied, a bad update refused, and an API outage ridden out on the last good configuration. The
 * outage is the mock server stopped and started again on the same port with the same store.
 */
@Timeout(120)
class ConfigMapSourceTest {
  private static final String NS = "limpet";
  private static final String NAME = DataPlaneGroup.configMapName("default");
  private static final String DOC =
      """
      version: "%s"
      virtualServices:
        - {name: web, address: 127.0.0.1, port: ${port}, pool: p}
      pools:
        - {name: p, servers: [{ip: ${%s.ip}, port: ${%s.port}}]}
      """;

  private final KubernetesCrudDispatcher store = new KubernetesCrudDispatcher();
  private final List<String> handedOver = new CopyOnWriteArrayList<>();
  private KubernetesMockServer api;
  private KubernetesClient client;
  private ProxyFixture fx;
  private ConfigMapSource source;

  @BeforeEach
  void start() throws Exception {
    fx = new ProxyFixture(1, 121, "one", "two");
    api = apiServer(0);
    client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(api.createClient().getConfiguration())
                    // reconnect quickly once the API is back
                    .withWatchReconnectInterval(100)
                    .withRequestRetryBackoffInterval(100)
                    .build())
            .build();
  }

  @AfterEach
  void stop() {
    if (source != null) source.close();
    client.close();
    api.destroy();
    fx.close();
  }

  @Test
  void loadsAtStartFollowsUpdatesRefusesABadOneAndRidesOutAnOutage() throws Exception {
    write("1", "b0");
    startRecordingSource();

    await().atMost(Duration.ofSeconds(20)).until(() -> "1".equals(version()));
    assertThat(body()).isEqualTo("backend=one");
    assertThat(fx.dataPlane.ready()).isTrue();

    write("2", "b1");
    await().atMost(Duration.ofSeconds(20)).until(() -> "2".equals(version()));
    assertThat(body()).isEqualTo("backend=two");

    // a pool that does not exist: handed over, refused, the last good one stays
    String bad = fx.render(DOC.formatted("3", "b0", "b0")).replace("pool: p}", "pool: nowhere}");
    writeDocument(bad);
    await().atMost(Duration.ofSeconds(20)).until(() -> handedOver.contains(bad));
    assertThat(version()).isEqualTo("2");
    assertThat(body()).isEqualTo("backend=two");

    int port = api.getPort();
    api.destroy();
    await().atMost(Duration.ofSeconds(20)).until(() -> !source.watching());
    assertThat(version()).isEqualTo("2");
    assertThat(body()).as("serves during the outage").isEqualTo("backend=two");

    api = apiServer(port);
    write("4", "b0");
    await().atMost(Duration.ofSeconds(60)).until(() -> "4".equals(version()));
    assertThat(body()).isEqualTo("backend=one");
    assertThat(source.watching()).isTrue();
  }

  @Test
  void withoutAConfigMapTheReplicaIsReadyWithNothingAndLoadsItWhenItAppears() throws Exception {
    startRecordingSource();

    await().atMost(Duration.ofSeconds(20)).until(() -> fx.dataPlane.ready());
    assertThat(handedOver).containsExactly(ConfigMapSource.EMPTY);
    assertThat(version()).isEqualTo("none");

    write("1", "b0");
    await().atMost(Duration.ofSeconds(20)).until(() -> "1".equals(version()));
    assertThat(body()).isEqualTo("backend=one");
  }

  @Test
  void startsBeforeTheApiServerAnswersAndLoadsOnceItDoes() throws Exception {
    write("1", "b1");
    int port = api.getPort();
    api.destroy();
    source = new ConfigMapSource(client, NS, NAME, fx.dataPlane::reload);
    source.start();
    assertThat(fx.dataPlane.ready()).isFalse();

    api = apiServer(port);

    await().atMost(Duration.ofSeconds(60)).until(() -> "1".equals(version()));
    assertThat(fx.dataPlane.ready()).isTrue();
    assertThat(body()).isEqualTo("backend=two");
  }

  private KubernetesMockServer apiServer(int port) throws Exception {
    return MockApi.start(InetAddress.getByName("127.0.0.1"), port, store);
  }

  private void write(String version, String backend) {
    writeDocument(fx.render(DOC.formatted(version, backend, backend)));
  }

  private void writeDocument(String document) {
    GroupConfigMap.write(client, NS, NAME, document);
  }

  /** Starts the source, keeping every document it hands over, each applied to the data plane. */
  private void startRecordingSource() {
    source =
        new ConfigMapSource(
            client,
            NS,
            NAME,
            document -> {
              handedOver.add(document);
              fx.dataPlane.reload(document);
            });
    source.start();
  }

  private String version() {
    return fx.dataPlane.current().version();
  }

  private String body() {
    return new Client(fx.port).get("/").body();
  }
}
