package dev.limpet.dataplane.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.server.Transport;
import dev.limpet.dataplane.testing.Client;
import dev.limpet.dataplane.testing.ProxyFixture;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
}
