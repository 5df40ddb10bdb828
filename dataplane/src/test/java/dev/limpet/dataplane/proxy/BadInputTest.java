package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.testing.AccessLogLines;
import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.RawHttp;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every bad input gets a clear answer and the proxy keeps serving. */
@Timeout(60)
class BadInputTest {
  private ProxyFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = new ProxyFixture(2, 41, "live");
    fx.apply(
        """
        virtualServices:
          - {name: web, address: 127.0.0.1, port: ${port}, pool: web, timeouts: {upstreamResponseMs: 500}}
        pools:
          - name: web
            servers: [{name: live, ip: ${b0.ip}, port: ${b0.port}}]
        """);
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void malformedRequestGets400AndClose() {
    try (AccessLogLines log = new AccessLogLines();
        RawHttp raw = new RawHttp(fx.port)) {
      String answer = raw.send("THIS IS NOT HTTP\r\n\r\n").readUntilClosed();
      assertThat(answer).startsWith("HTTP/1.1 400 ").contains("connection: close");
      assertThat(log.lines()).singleElement().asString().contains("status=400", "client=127.0.0.1");
    }
    assertThat(fx.dataPlane.metrics().scrape())
        .contains("limpet_bad_requests_total{status=\"400\"} 1.0");
    assertStillServing();
  }

  @Test
  void oversizedHeadersGet431() {
    String big = "x".repeat(20_000);
    try (RawHttp raw = new RawHttp(fx.port)) {
      String answer =
          raw.send("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + big + "\r\n\r\n").readUntilClosed();
      assertThat(answer).startsWith("HTTP/1.1 431 ");
    }
    assertStillServing();
  }

  @Test
  void overlongUriGets414() {
    try (RawHttp raw = new RawHttp(fx.port)) {
      String answer =
          raw.send("GET /" + "a".repeat(9_000) + " HTTP/1.1\r\nHost: a\r\n\r\n").readUntilClosed();
      assertThat(answer).startsWith("HTTP/1.1 414 ");
    }
    assertStillServing();
  }

  @Test
  void noServerUpGets503WithShortBody() throws Exception {
    fx.apply(
        """
        version: "2"
        virtualServices:
          - {name: web, address: 127.0.0.1, port: ${port}, pool: web}
        pools:
          - name: web
            servers: [{name: live, ip: ${b0.ip}, port: ${b0.port}, enabled: false}]
        """);
    var r = fx.client().get("/");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("no server available in pool web\n");
  }

  @Test
  void connectFailureIsRetriedForIdempotentRequestsOnly() throws Exception {
    // 127.0.0.49:1 has no listener: every connect to it is refused
    fx.apply(
        """
        version: "2"
        virtualServices:
          - {name: web, address: 127.0.0.1, port: ${port}, pool: web}
        pools:
          - name: web
            servers: [{name: dead, ip: 127.0.0.49, port: 1}, {name: live, ip: ${b0.ip}, port: ${b0.port}}]
        """);
    for (int i = 0; i < 6; i++) assertThat(fx.client().get("/").statusCode()).isEqualTo(200);
    List<Integer> posts = new ArrayList<>();
    for (int i = 0; i < 4; i++)
      posts.add(
          fx.client()
              .send(fx.client().request("/").POST(HttpRequest.BodyPublishers.ofString("x")).build())
              .statusCode());
    assertThat(posts).contains(502, 200).containsOnly(502, 200);
  }

  @Test
  void slowServerGets504() {
    var r = fx.client().get("/slow?ms=3000");
    assertThat(r.statusCode()).isEqualTo(504);
    assertStillServing();
  }

  @Test
  void unknownHostGets404WhenEveryServiceNamesItsHosts() throws Exception {
    fx.apply(
        """
        version: "2"
        virtualServices:
          - {name: web, address: 127.0.0.1, port: ${port}, hostnames: [shop.example.com], pool: web}
        pools:
          - name: web
            servers: [{name: live, ip: ${b0.ip}, port: ${b0.port}}]
        """);
    try (RawHttp raw = new RawHttp(fx.port)) {
      String answer =
          raw.send("GET / HTTP/1.1\r\nHost: other.example.com\r\nConnection: close\r\n\r\n")
              .readUntilClosed();
      assertThat(answer).startsWith("HTTP/1.1 404 ").contains("no virtual service for this host");
    }
    try (RawHttp raw = new RawHttp(fx.port)) {
      String answer =
          raw.send("GET / HTTP/1.1\r\nHost: SHOP.example.com:8080\r\nConnection: close\r\n\r\n")
              .readUntilClosed();
      assertThat(answer).startsWith("HTTP/1.1 200 ").contains("backend=live");
    }
  }

  @Test
  void slowHeadersGet408AndIdleConnectionsAreClosed() throws Exception {
    fx.apply(
        """
        version: "2"
        virtualServices:
          - {name: web, address: 127.0.0.1, port: ${port}, pool: web, timeouts: {headerReadMs: 300, clientIdleMs: 500}}
        pools:
          - name: web
            servers: [{name: live, ip: ${b0.ip}, port: ${b0.port}}]
        """);
    try (AccessLogLines log = new AccessLogLines();
        RawHttp raw = new RawHttp(fx.port)) {
      String answer =
          raw.send("GET / HTTP/1.1\r\nHost: a\r\n").readUntilClosed(); // the blank line never comes
      assertThat(answer).startsWith("HTTP/1.1 408 ");
      assertThat(log.lines()).singleElement().asString().contains("status=408", "client=127.0.0.1");
    }
    assertThat(fx.dataPlane.metrics().scrape())
        .contains("limpet_bad_requests_total{status=\"408\"} 1.0");
    try (RawHttp raw = new RawHttp(fx.port)) {
      assertThat(raw.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readUntil("backend=live"))
          .startsWith("HTTP/1.1 200 ");
      long idleStart = System.nanoTime();
      assertThat(raw.ending()).isEqualTo("FIN"); // closed by the proxy once idle
      assertThat(System.nanoTime() - idleStart).isGreaterThan(400_000_000L);
    }
  }

  private void assertStillServing() {
    var r = fx.client().get("/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("backend=live");
  }
}
