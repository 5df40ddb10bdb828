package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.RawHttp;
import dev.limpet.dataplane.testing.WebSocketBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTP/1.1 proxying details: headers, framing, 100-continue, upgrades, access rules and limits. */
@Timeout(60)
class ProtocolTest {
  private ProxyFixture fx;

  private ProxyFixture start(int eventLoops, String vsExtra) throws Exception {
    fx = new ProxyFixture(eventLoops, 51, "a");
    fx.apply(
        """
        virtualServices:
          - {name: web, address: 127.0.0.1, port: ${port}, pool: web%s}
        pools:
          - name: web
            servers: [{name: a, ip: ${b0.ip}, port: ${b0.port}}]
        """
            .formatted(vsExtra));
    return fx;
  }

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  @ParameterizedTest(name = "{0} event loop(s)")
  @ValueSource(ints = {1, 2})
  void addsForwardedHeadersAndDropsHopByHopOnes(int loops) throws Exception {
    start(loops, "");
    String answer;
    try (RawHttp raw = new RawHttp(fx.port)) {
      answer =
          raw.send(
                  "GET /headers HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 203.0.113.7\r\nConnection: x-secret, close\r\n"
                      + "X-Secret: 1\r\nKeep-Alive: timeout=5\r\nX-Kept: yes\r\n\r\n")
              .readUntilClosed();
    }
    assertThat(answer)
        .contains("x-forwarded-for: 203.0.113.7, 127.0.0.1")
        .contains("x-forwarded-proto: http")
        .contains("x-forwarded-port: " + fx.port)
        .contains("x-kept: yes")
        .doesNotContain("x-secret")
        .doesNotContain("keep-alive: timeout");
  }

  @Test
  void streamsChunkedRequestBodies() throws Exception {
    start(1, "");
    try (RawHttp raw = new RawHttp(fx.port)) {
      raw.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
      raw.send("5\r\nhello\r\n");
      raw.send("6\r\n world\r\n0\r\n\r\n");
      String answer = raw.readUntil("\n11 ");
      assertThat(answer).startsWith("HTTP/1.1 200 ");
    }
  }

  @Test
  void relaysExpectContinue() throws Exception {
    start(1, "");
    try (RawHttp raw = new RawHttp(fx.port)) {
      raw.send(
          "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
      assertThat(raw.readUntil("\r\n\r\n")).startsWith("HTTP/1.1 100 Continue");
      raw.send("hello");
      assertThat(raw.readUntil("5 532")).contains("HTTP/1.1 200 ");
    }
  }

  @Test
  void keepsTheClientConnectionAcrossRequests() throws Exception {
    start(1, "");
    try (RawHttp raw = new RawHttp(fx.port)) {
      for (int i = 0; i < 3; i++) {
        raw.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(raw.readUntil("backend=a")).startsWith("HTTP/1.1 200 ");
      }
      raw.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
      assertThat(raw.readUntilClosed()).contains("connection: close").contains("backend=a");
    }
  }

  @Test
  void answersPipelinedRequestsInOrder() throws Exception {
    start(1, "");
    try (RawHttp raw = new RawHttp(fx.port)) {
      raw.send(
          "GET /status?code=201 HTTP/1.1\r\nHost: a\r\n\r\nGET /status?code=202 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
      String answer = raw.readUntilClosed();
      assertThat(answer.indexOf("HTTP/1.1 201"))
          .isGreaterThanOrEqualTo(0)
          .isLessThan(answer.indexOf("HTTP/1.1 202"));
    }
  }

  @Test
  void deniedClientIsClosedOrForbidden() throws Exception {
    start(1, ", networkSecurity: {deny: [127.0.0.58/32]}");
    try (RawHttp raw = new RawHttp("127.0.0.58", fx.port)) {
      assertThat(raw.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readUntilClosed()).isEmpty();
    }
    try (RawHttp raw = new RawHttp("127.0.0.59", fx.port)) {
      assertThat(
              raw.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").readUntilClosed())
          .contains("backend=a");
    }
    fx.apply(
        fx.render(
            """
            version: "2"
            virtualServices:
              - {name: web, address: 127.0.0.1, port: ${port}, pool: web, networkSecurity: {allow: [127.0.0.0/30], action: Forbidden}}
            pools:
              - name: web
                servers: [{name: a, ip: ${b0.ip}, port: ${b0.port}}]
            """));
    try (RawHttp raw = new RawHttp("127.0.0.58", fx.port)) {
      assertThat(raw.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readUntilClosed())
          .startsWith("HTTP/1.1 403 ");
    }
    assertThat(fx.dataPlane.metrics().scrape())
        .contains("limpet_denied_clients_total{virtual_service=\"web\"} 2.0");
  }

  @Test
  void aClientClosedAtAcceptOnASharedPortCountsOnceForThePort() throws Exception {
    fx = new ProxyFixture(1, 51, "a");
    fx.apply(
        """
        virtualServices:
          - {name: one, address: 127.0.0.1, port: ${port}, hostnames: [one.example], pool: web, networkSecurity: {deny: [127.0.0.58/32]}}
          - {name: two, address: 127.0.0.1, port: ${port}, hostnames: [two.example], pool: web, networkSecurity: {deny: [127.0.0.58/32]}}
        pools:
          - name: web
            servers: [{name: a, ip: ${b0.ip}, port: ${b0.port}}]
        """);
    try (RawHttp raw = new RawHttp("127.0.0.58", fx.port)) {
      assertThat(raw.send("GET / HTTP/1.1\r\nHost: one.example\r\n\r\n").readUntilClosed())
          .isEmpty();
    }
    assertThat(fx.dataPlane.metrics().scrape())
        .contains("limpet_denied_clients_total{virtual_service=\"port:" + fx.port + "\"} 1.0")
        .doesNotContain("limpet_denied_clients_total{virtual_service=\"one\"}")
        .doesNotContain("limpet_denied_clients_total{virtual_service=\"two\"}");
  }

  @Test
  void closesConnectionsOverTheLimit() throws Exception {
    start(1, ", limits: {maxConnections: 2}");
    try (RawHttp one = new RawHttp(fx.port);
        RawHttp two = new RawHttp(fx.port)) {
      one.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readUntil("backend=a");
      two.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readUntil("backend=a");
      try (RawHttp three = new RawHttp(fx.port)) {
        assertThat(three.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readUntilClosed()).isEmpty();
      }
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(fx.client().get("/").statusCode()).isEqualTo(200));
  }

  @ParameterizedTest(name = "{0} event loop(s)")
  @ValueSource(ints = {1, 2})
  void tunnelsWebSocketsToTheServerChosenAtUpgrade(int loops) throws Exception {
    try (WebSocketBackend ws1 = new WebSocketBackend("w1", "127.0.0.55");
        WebSocketBackend ws2 = new WebSocketBackend("w2", "127.0.0.56")) {
      fx = new ProxyFixture(loops, 51);
      fx.apply(
          """
          virtualServices:
            - {name: ws, address: 127.0.0.1, port: ${port}, pool: ws}
          pools:
            - name: ws
              servers: [{ip: %s, port: %d}, {ip: %s, port: %d}]
          """
              .formatted(ws1.ip(), ws1.port(), ws2.ip(), ws2.port()));
      List<String> received = new CopyOnWriteArrayList<>();
      WebSocket socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + fx.port + "/ws"),
                  new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(
                        WebSocket webSocket, CharSequence data, boolean last) {
                      received.add(data.toString());
                      webSocket.request(1);
                      return null;
                    }
                  })
              .get(10, java.util.concurrent.TimeUnit.SECONDS);
      for (int i = 0; i < 20; i++)
        socket.sendText("m" + i, true).get(5, java.util.concurrent.TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 20);
      String server = received.get(0).substring(0, 2);
      assertThat(received).allMatch(m -> m.startsWith(server + ":"));
      assertThat(received.get(19)).endsWith(":m19");
      socket
          .sendClose(WebSocket.NORMAL_CLOSURE, "bye")
          .get(5, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
