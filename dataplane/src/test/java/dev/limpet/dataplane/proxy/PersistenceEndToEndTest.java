package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.dataplane.DataPlane;
import dev.limpet.dataplane.persistence.CookieKeySet;
import dev.limpet.dataplane.persistence.PersistenceTable;
import dev.limpet.dataplane.testing.Client;
import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.RawHttp;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every persistence profile through a real data plane, real backends and real clients. */
@Timeout(90)
class PersistenceEndToEndTest {
  private static final int STICKY_REQUESTS = 50;
  private ProxyFixture fx;

  private ProxyFixture start(String profile) throws Exception {
    return start(profile, "", CookieKeySet.random());
  }

  private ProxyFixture start(String profile, String poolExtra, CookieKeySet keys) throws Exception {
    fx = new ProxyFixture(2, 71, keys, "a", "b", "c");
    fx.apply(
        """
        virtualServices:
          - {name: web, address: 127.0.0.1, port: ${port}, pool: web}
        pools:
          - name: web
            persistenceProfile: sticky
            servers: %s
            %s
        persistenceProfiles:
          - %s
        healthMonitors:
          - {name: health, type: Http, intervalSeconds: 1, timeoutSeconds: 1, failedChecks: 1, successfulChecks: 1, http: {path: /health}}
        """
            .formatted(fx.servers(), poolExtra, profile));
    return fx;
  }

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  @Test
  void clientIpSticksPerClientAndSpreadsClients() throws Exception {
    start("{name: sticky, type: ClientIP}");
    Set<String> firsts = new HashSet<>();
    for (int client = 1; client <= 12; client++) {
      String address = "127.0.1." + client;
      String first = RawHttp.backendFor(address, fx.port, "/");
      for (int i = 0; i < STICKY_REQUESTS; i++)
        assertThat(RawHttp.backendFor(address, fx.port, "/")).isEqualTo(first);
      firsts.add(first);
    }
    assertThat(firsts).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void clientIpCountdownStartsWhenTheLastConnectionCloses() throws Exception {
    start("{name: sticky, type: ClientIP, clientIp: {timeoutMinutes: 0.05}}"); // 3 seconds
    PersistenceTable table = fx.dataPlane.tables().table("persistence/sticky/web");
    try (RawHttp held = new RawHttp("127.0.2.1", fx.port)) {
      String first =
          RawHttp.backendOf(held.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").readUntil("backend="));
      // the open connection keeps the entry alive well past the timeout
      await()
          .during(Duration.ofSeconds(5))
          .atMost(Duration.ofSeconds(6))
          .until(() -> table.lookup("127.0.2.1") != null);
      assertThat(RawHttp.backendFor("127.0.2.1", fx.port, "/")).isEqualTo(first);
    }
    // closed: the entry lives on for the timeout, then goes
    assertThat(table.lookup("127.0.2.1")).isNotNull();
    await().atMost(Duration.ofSeconds(10)).until(() -> table.lookup("127.0.2.1") == null);
  }

  @Test
  void httpCookieSticksPerClientAndSpreadsClients() throws Exception {
    start("{name: sticky, type: HttpCookie, httpCookie: {name: LB}}");
    Set<String> firsts = new HashSet<>();
    for (int client = 0; client < 12; client++) {
      HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
      String first = Client.backend(get(browser, "/"));
      for (int i = 0; i < STICKY_REQUESTS; i++)
        assertThat(Client.backend(get(browser, "/"))).isEqualTo(first);
      firsts.add(first);
    }
    assertThat(firsts).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void tamperedForgedAndExpiredCookiesAreIgnored() throws Exception {
    start("{name: sticky, type: HttpCookie, httpCookie: {name: LB, timeoutMinutes: 0.05}}");
    HttpResponse<String> first = fx.client().get("/");
    String cookie = setCookie(first);
    assertThat(cookie).startsWith("LB=");
    String value = cookie.substring(3, cookie.indexOf(';'));
    assertThat(Client.backend(fx.client().get("/", "Cookie", "LB=" + value)))
        .isEqualTo(Client.backend(first));

    char flipped = value.charAt(10) == 'A' ? 'B' : 'A';
    String tampered = value.substring(0, 10) + flipped + value.substring(11);
    for (String bad :
        List.of(tampered, "czE", "forged-value", value.substring(0, value.length() - 4))) {
      HttpResponse<String> r = fx.client().get("/", "Cookie", "LB=" + bad);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(setCookie(r))
          .as("a fresh cookie replaces %s", bad)
          .startsWith("LB=")
          .doesNotContain(bad);
    }
    // past its absolute timeout (3 s) the same valid value is no longer honoured
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> !setCookie(fx.client().get("/", "Cookie", "LB=" + value)).isEmpty());
  }

  @Test
  void oldCookiesStillStickAfterAKeyRotation(@TempDir Path dir) throws Exception {
    Path oldKeys =
        Files.writeString(
            dir.resolve("old.json"),
            "{\"cookieKeys\":[{\"id\":\"k1\",\"secret\":\"" + "MDEyMzQ1Njc4OWFiY2RlZg==" + "\"}]}");
    Path rotated =
        Files.writeString(
            dir.resolve("new.json"),
            "{\"cookieKeys\":[{\"id\":\"k2\",\"secret\":\"ZmVkY2JhOTg3NjU0MzIxMA==\"},{\"id\":\"k1\",\"secret\":\"MDEyMzQ1Njc4OWFiY2RlZg==\"}]}");
    start(
        "{name: sticky, type: HttpCookie, httpCookie: {name: LB}}", "", CookieKeySet.load(oldKeys));
    String template =
        fx.render(
            """
        virtualServices:
          - {name: web, address: 127.0.0.1, port: ${port}, pool: web}
        pools:
          - {name: web, persistenceProfile: sticky, servers: %s}
        persistenceProfiles:
          - {name: sticky, type: HttpCookie, httpCookie: {name: LB}}
        """
                .formatted(fx.servers()));
    Set<String> backends = new HashSet<>();
    List<String> cookies = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> r = fx.client().get("/");
      backends.add(Client.backend(r));
      cookies.add(setCookie(r).split(";")[0] + "|" + Client.backend(r));
    }
    assertThat(backends).hasSize(3);
    fx.dataPlane.close();
    // the replacement data plane (a restart, or another replica) has the rotated key set
    try (DataPlane rotatedPlane = new DataPlane(1, CookieKeySet.load(rotated))) {
      rotatedPlane.apply(template);
      for (String c : cookies) {
        String[] parts = c.split("\\|");
        for (int i = 0; i < 10; i++) {
          HttpResponse<String> r = fx.client().get("/", "Cookie", parts[0]);
          assertThat(Client.backend(r)).isEqualTo(parts[1]);
          assertThat(setCookie(r)).isEmpty();
        }
      }
    }
  }

  @Test
  void appCookieSticksByCookieByQueryAndByPathParameter() throws Exception {
    start("{name: sticky, type: AppCookie}");
    Set<String> learnedOn = new HashSet<>();
    for (int client = 0; client < 6; client++) {
      HttpResponse<String> login = fx.client().get("/login");
      String session = setCookie(login).split(";")[0].substring("JSESSIONID=".length());
      String server = Client.backend(login);
      learnedOn.add(server);
      for (int i = 0; i < STICKY_REQUESTS; i++) {
        assertThat(Client.backend(fx.client().get("/", "Cookie", "JSESSIONID=" + session)))
            .isEqualTo(server);
      }
      assertThat(Client.backend(fx.client().get("/?JSESSIONID=" + session))).isEqualTo(server);
      assertThat(Client.backend(fx.client().get("/cart;jsessionid=" + session + "?x=1")))
          .isEqualTo(server);
    }
    assertThat(learnedOn).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void customHeaderGoesToTheMatchingServerAndBalancesTheRest() throws Exception {
    start("{name: sticky, type: CustomHeader, customHeader: {name: X-Server}}");
    for (String name : List.of("a", "b", "c")) {
      for (int i = 0; i < STICKY_REQUESTS; i++)
        assertThat(Client.backend(fx.client().get("/", "X-Server", name))).isEqualTo(name);
    }
    Set<String> spread = new HashSet<>();
    for (int i = 0; i < 9; i++)
      spread.add(Client.backend(fx.client().get("/", "X-Server", "unknown")));
    assertThat(spread).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void immediateMovesAClientOffAFailedServer() throws Exception {
    start(
        "{name: sticky, type: ClientIP, onServerDown: Immediate}",
        "healthMonitors: [health]",
        CookieKeySet.random());
    String first = RawHttp.backendFor("127.0.3.1", fx.port, "/status?code=200");
    fx.backend(first).answer(503);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !RawHttp.backendFor("127.0.3.1", fx.port, "/status?code=200").equals(first));
    String moved = RawHttp.backendFor("127.0.3.1", fx.port, "/status?code=200");
    fx.backend(first).answer(200);
    // the entry was rewritten: the client stays on its new server after the old one recovers
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                fx.dataPlane
                    .current()
                    .pools()
                    .pool("web")
                    .server(fx.backend(first).ip() + ":" + fx.backend(first).port())
                    .healthy());
    for (int i = 0; i < 10; i++)
      assertThat(RawHttp.backendFor("127.0.3.1", fx.port, "/status?code=200")).isEqualTo(moved);
  }

  @Test
  void neverKeepsAClientOnItsFailedServer() throws Exception {
    start(
        "{name: sticky, type: ClientIP, onServerDown: Never}",
        "healthMonitors: [health]",
        CookieKeySet.random());
    String first = RawHttp.backendFor("127.0.3.2", fx.port, "/status?code=200");
    var server =
        fx.dataPlane
            .current()
            .pools()
            .pool("web")
            .server(fx.backend(first).ip() + ":" + fx.backend(first).port());
    fx.backend(first).answer(503);
    await().atMost(Duration.ofSeconds(10)).until(() -> !server.healthy());
    for (int i = 0; i < 10; i++)
      assertThat(RawHttp.backendFor("127.0.3.2", fx.port, "/status?code=200")).isEqualTo(first);
    // new clients avoid the down server
    for (int c = 10; c < 16; c++)
      assertThat(RawHttp.backendFor("127.0.3." + c, fx.port, "/status?code=200"))
          .isNotEqualTo(first);
  }

  @Test
  void aDrainingServerKeepsItsClientsForTheDrainPeriodOnly() throws Exception {
    start("{name: sticky, type: ClientIP}");
    String first = RawHttp.backendFor("127.0.3.20", fx.port, "/");
    String drained =
        fx.servers().replace("{name: " + first + ",", "{name: " + first + ", draining: true,");
    fx.apply(
        """
        version: "drain"
        virtualServices:
          - {name: web, address: 127.0.0.1, port: ${port}, pool: web}
        pools:
          - {name: web, persistenceProfile: sticky, drainPeriodSeconds: 3, servers: %s}
        persistenceProfiles:
          - {name: sticky, type: ClientIP}
        """
            .formatted(drained));
    for (int i = 0; i < 10; i++)
      assertThat(RawHttp.backendFor("127.0.3.20", fx.port, "/")).isEqualTo(first);
    for (int c = 21; c < 30; c++)
      assertThat(RawHttp.backendFor("127.0.3." + c, fx.port, "/")).isNotEqualTo(first);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !RawHttp.backendFor("127.0.3.20", fx.port, "/").equals(first));
  }

  private HttpResponse<String> get(HttpClient browser, String path) throws Exception {
    return browser.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String setCookie(HttpResponse<?> r) {
    return r.headers().firstValue("set-cookie").orElse("");
  }
}
