package dev.limpet.dataplane.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.limpet.dataplane.DataPlane;
import dev.limpet.dataplane.peers.PeerSettings;
import dev.limpet.dataplane.peers.StaticPeers;
import dev.limpet.dataplane.persistence.CookieKeySet;
import dev.limpet.dataplane.testing.Client;
import dev.limpet.dataplane.testing.FreePorts;
import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.transport.Transport;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** Every admin path over real HTTP, against a data plane that has served traffic. */
@Timeout(60)
class AdminServerTest {
  private ProxyFixture fx;
  private AdminServer admin;
  private Client client;

  @BeforeEach
  void start() throws Exception {
    fx = new ProxyFixture(1, 111, "a", "b");
    fx.apply(
        """
        version: "v7"
        virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web}]
        pools:
          - name: web
            persistenceProfile: ip
            servers: [{name: a, ip: ${b0.ip}, port: ${b0.port}}, {name: b, ip: ${b1.ip}, port: ${b1.port}, enabled: false}]
        persistenceProfiles: [{name: ip, type: ClientIP}]
        """);
    admin =
        new AdminServer(
            new java.net.InetSocketAddress("127.0.0.1", 0), fx.dataPlane, Transport.best());
    client = new Client(admin.address().getPort());
    for (int i = 0; i < 3; i++) fx.client().get("/");
  }

  @AfterEach
  void stop() {
    admin.close();
    fx.close();
  }

  @Test
  void probes() {
    assertThat(client.get("/healthz").statusCode()).isEqualTo(200);
    assertThat(client.get("/readyz").statusCode()).isEqualTo(200);
  }

  @Test
  void configPoolsAndTables() {
    assertThat(client.get("/config").body())
        .contains("\"version\" : \"v7\"")
        .containsPattern("\"tlsProvider\" : \"(OPENSSL|JDK)\"")
        .contains("\"transport\" : \"" + fx.dataPlane.transport().name() + "\"")
        .contains("\"virtualServices\"");
    HttpResponse<String> pools = client.get("/pools");
    assertThat(pools.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(pools.body())
        .contains("\"serversUp\" : 1", "\"serversTotal\" : 2")
        .contains("\"state\" : \"up\"", "\"state\" : \"disabled\"");
    assertThat(client.get("/tables").body()).contains("\"persistence/ip/web\" : 1");
  }

  @Test
  void prometheusMetrics() {
    String metrics = client.get("/metrics").body();
    assertThat(metrics)
        .contains("limpet_requests_total{status=\"2xx\",virtual_service=\"web\"} 3.0")
        .contains("limpet_request_duration_seconds_bucket{virtual_service=\"web\"")
        .contains("limpet_persistence_total{outcome=\"miss\",pool=\"web\"} 1.0")
        .contains("limpet_persistence_total{outcome=\"hit\",pool=\"web\"} 2.0");
  }

  /** Select fallbacks are reported per DataScript and reason: what the DataScript status shows. */
  @Test
  void selectionFallbacksByDataScriptAndReason() throws Exception {
    assertThat(client.get("/datascripts").body()).isEqualTo("{ }");
    fx.apply(
        """
        virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web, dataScripts: [stray]}]
        pools:
          - name: web
            servers: [{name: a, ip: ${b0.ip}, port: ${b0.port}}, {name: b, ip: ${b1.ip}, port: ${b1.port}, enabled: false}]
        dataScripts:
          - name: stray
            pools: [{pool: web}]
            events:
              httpRequest: |
                if avi.http.get_path() == "/stray" then avi.pool.select("web", "10.9.9.9") end
                if avi.http.get_path() == "/off" then avi.pool.select("web", "b") end
        """);
    for (int i = 0; i < 3; i++) assertThat(fx.client().get("/stray").statusCode()).isEqualTo(200);
    assertThat(fx.client().get("/off").statusCode()).isEqualTo(200);
    assertThat(fx.client().get("/").statusCode()).isEqualTo(200);
    HttpResponse<String> reply = client.get("/datascripts");
    assertThat(reply.headers().firstValue("content-type")).hasValue("application/json");
    var stray =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(reply.body()).get("stray");
    assertThat(stray.get("selectionFallbacks").toString())
        .isEqualTo("{\"down\":1,\"not_member\":3}");
    assertThat(stray.get("message").asText())
        .isEqualTo("4 selections fell back (down 1, not_member 3)");
  }

  @Test
  void unknownPathsAndMethods() {
    assertThat(client.get("/nope").statusCode()).isEqualTo(404);
    assertThat(
            client
                .send(
                    client
                        .request("/healthz")
                        .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                        .build())
                .statusCode())
        .isEqualTo(405);
  }

  @Test
  void aReplicaWhosePeerRefusesItsSecretWaitsTheSyncTimeoutAndSaysWhy() throws Exception {
    InetSocketAddress good = new InetSocketAddress("127.0.0.115", FreePorts.next());
    InetSocketAddress wrong = new InetSocketAddress("127.0.0.116", FreePorts.next());
    StaticPeers peers = new StaticPeers(List.of(good, wrong));
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger peersLog = (Logger) LoggerFactory.getLogger("dev.limpet.dataplane.peers");
    logs.start();
    peersLog.addAppender(logs);
    try (DataPlane goodPlane =
            new DataPlane(
                1,
                CookieKeySet.random(),
                PeerSettings.of("good", good, peers, secret("the secret every replica shares")));
        DataPlane wrongPlane =
            new DataPlane(
                1,
                CookieKeySet.random(),
                PeerSettings.of("wrong", wrong, peers, secret("a secret nobody else has, sorry"))
                    .withSyncTimeout(Duration.ofSeconds(6)));
        AdminServer wrongAdmin =
            new AdminServer(new InetSocketAddress("127.0.0.1", 0), wrongPlane, Transport.best())) {
      wrongPlane.apply(
          """
          virtualServices: [{name: web, address: 127.0.0.1, port: %d, pool: web}]
          pools: [{name: web, servers: [{ip: 127.0.0.111, port: 80}]}]
          """
              .formatted(FreePorts.next()));
      Client wrongClient = new Client(wrongAdmin.address().getPort());

      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                HttpResponse<String> readyz = wrongClient.get("/readyz");
                assertThat(readyz.statusCode()).isEqualTo(503);
                assertThat(readyz.body()).contains(good.getPort() + " (", "wrong peer secret");
              });
      assertThat(wrongClient.get("/peers").body())
          .contains("\"refusedBy\"", "wrong peer secret")
          .contains("\"ready\" : false");

      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> {
                HttpResponse<String> readyz = wrongClient.get("/readyz");
                assertThat(readyz.statusCode()).isEqualTo(200);
                assertThat(readyz.body()).startsWith("ready, but ").contains("wrong peer secret");
              });
      assertThat(logs.list)
          .filteredOn(e -> e.getLevel() == Level.ERROR)
          .extracting(ILoggingEvent::getFormattedMessage)
          .anySatisfy(m -> assertThat(m).contains("replica wrong is ready", "wrong peer secret"));
    } finally {
      peersLog.detachAppender(logs);
    }
  }

  private static byte[] secret(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
