package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.dataplane.testing.Client;
import dev.limpet.dataplane.testing.FreePorts;
import dev.limpet.dataplane.testing.Http2Backend;
import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.RawH2;
import dev.limpet.dataplane.testing.RawHttp;
import dev.limpet.dataplane.testing.TlsDocument;
import dev.limpet.dataplane.tls.TlsProviders;
import dev.limpet.testsupport.TestPki;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A pool that speaks HTTP/2 to its servers, with an HTTP/1.1 client in front: real h2c and h2 (TLS,
 * ALPN) servers on 127.0.0.x, a real client. Requests become streams of one connection per server,
 * trailers reach a chunked response, a GOAWAY and a refused connection are handled as a closed
 * HTTP/1.1 connection and a refusal are.
 */
@Timeout(60)
class Http2ServersTest {
  private final List<Http2Backend> backends = new ArrayList<>();
  private ProxyFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
    backends.forEach(Http2Backend::close);
  }

  private Http2Backend backend(String name, String ip) throws Exception {
    Http2Backend b = Http2Backend.plain(name, ip);
    backends.add(b);
    return b;
  }

  private void start(int loops, String servers) throws Exception {
    fx = new ProxyFixture(loops, 90);
    fx.apply(
        """
        virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web}]
        pools: [{name: web, protocol: Http2, servers: %s}]
        """
            .formatted(servers));
  }

  private static String server(Http2Backend b) {
    return "{ip: %s, port: %d}".formatted(b.ip(), b.port());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void requestsBecomeStreamsOfOneConnection(int loops) throws Exception {
    Http2Backend b = backend("h2c", "127.0.0.91");
    start(loops, "[" + server(b) + "]");
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> r =
          fx.client()
              .send(
                  fx.client()
                      .request("/echo/" + i)
                      .POST(HttpRequest.BodyPublishers.ofString("abc"))
                      .build());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("h2c POST /echo/" + i + " te=null body=3");
    }
    // one connection per server and event loop at most, however many exchanges
    assertThat(b.connections()).isBetween(1, loops);
    assertThat(b.heads.get(0)).containsEntry(":authority", "127.0.0.1:" + fx.port);
    assertThat(b.heads.get(0)).containsEntry(":scheme", "http");
    // connection-specific fields never reach an HTTP/2 server (it would refuse the stream)
    assertThat(b.heads.get(0).keySet())
        .doesNotContain("connection", "keep-alive", "transfer-encoding", "host", "upgrade")
        .noneMatch(n -> n.startsWith("x-http2"));
  }

  @Test
  void streamsWhoseClientsStopReadingNeverFreezeAnotherClientsStream() throws Exception {
    Http2Backend b = backend("h2c", "127.0.0.88"); // no limit of concurrent streams
    fx = new ProxyFixture(1, 90);
    fx.apply(
        """
        virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web,
                           http2: {enabled: true, maxConcurrentStreams: 1000}}]
        pools: [{name: web, protocol: Http2, servers: [%s]}]
        """
            .formatted(server(b)));
    // a stalled stream holds up to its whole window (unread, or read and not yet given back)
    int stalled = ConnectionWindow.STREAMS + 30;
    try (RawH2 client = new RawH2(fx.port)) {
      // a window of 0: the proxy may send this client's streams no body byte, so each stream to
      // the server stops being read and keeps its 64 KiB of the server connection's window
      client.frame(RawH2.SETTINGS, 0, 0, new byte[] {0, 4, 0, 0, 0, 0});
      for (int i = 0; i < stalled; i++)
        client.headers(1 + 2 * i, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get("/big"));
      client.flush();
      await().atMost(Duration.ofSeconds(20)).until(() -> b.blockedStreams() == stalled);
      // no connection carries more stalled streams than its window holds: a second one was
      // opened, and another client's answer still comes whole
      assertThat(b.connections()).isEqualTo(2);
      HttpResponse<String> r = fx.client().get("/echo");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("h2c GET /echo te=null body=0");
    }
  }

  @Test
  void aConnectionLimitBelowTheEventLoopsIsOneConnectionWhoseStreamsServeEveryLoop()
      throws Exception {
    Http2Backend b = backend("h2c", "127.0.0.85");
    fx = new ProxyFixture(3, 90);
    fx.apply(
        """
        virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web}]
        pools: [{name: web, protocol: Http2, maxConnectionsPerServer: 1, servers: [%s]}]
        """
            .formatted(server(b)));
    // a connection each: the listener spreads them over its three event loops; the streams on
    // another loop's connection carry a body up and a long answer down, with back-pressure
    for (int i = 0; i < 6; i++) {
      try (RawHttp client = new RawHttp(fx.port)) {
        client.send(
            "POST /loop/%d HTTP/1.1\r\nHost: web\r\nContent-Length: 3\r\n\r\nabc".formatted(i));
        assertThat(client.readUntil("body=3"))
            .startsWith("HTTP/1.1 200")
            .endsWith("h2c POST /loop/" + i + " te=null body=3");
        client.send("GET /big HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n");
        String big = client.readUntilClosed();
        assertThat(big).startsWith("HTTP/1.1 200").endsWith("\r\n0\r\n\r\n");
        assertThat(big.chars().filter(c -> c == 'x').count()).isEqualTo(1024 * 1024);
      }
    }
    assertThat(b.connections()).isEqualTo(1);
  }

  @Test
  void teTrailersReachesTheServerAndTrailersReachTheClientOverChunked() throws Exception {
    Http2Backend b = backend("h2c", "127.0.0.92");
    start(1, "[" + server(b) + "]");
    try (RawHttp client = new RawHttp(fx.port)) {
      client.send("GET /trailers HTTP/1.1\r\nHost: web\r\nTE: trailers\r\nConnection: TE\r\n\r\n");
      String response = client.readUntil("x-checksum: 42\r\n\r\n");
      assertThat(response)
          .startsWith("HTTP/1.1 200")
          .containsIgnoringCase("transfer-encoding: chunked");
      assertThat(response).contains("chunk-1 ").contains("chunk-2");
      // the trailer section after the last chunk
      assertThat(response.substring(response.indexOf("\r\n0\r\n")))
          .contains("grpc-status: 0\r\n")
          .contains("x-checksum: 42\r\n");
      assertThat(response).doesNotContainIgnoringCase("x-http2-stream-id");
    }
    assertThat(b.heads.get(0)).containsEntry("te", "trailers");
  }

  @Test
  void aGoawayThatLeavesTheRequestUnsentIsSentAgainOnANewConnection() throws Exception {
    Http2Backend b = backend("h2c", "127.0.0.93");
    start(1, "[" + server(b) + "]");
    assertThat(fx.client().get("/first").statusCode()).isEqualTo(200);
    HttpResponse<String> r = fx.client().get("/goaway-once");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("h2c GET /goaway-once");
    // the first connection went away: the retry and what follows took a second one
    assertThat(b.connections()).isEqualTo(2);
    assertThat(fx.client().get("/after").statusCode()).isEqualTo(200);
    assertThat(b.connections()).isEqualTo(2);
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return fx.client()
        .send(fx.client().request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  @Test
  void aPostAboveAGoawaysLastStreamIsSentAgainWithItsBody() throws Exception {
    Http2Backend b = backend("h2c", "127.0.0.94");
    start(1, "[" + server(b) + "]");
    // the server said it did not process the stream (RFC 9113 §8.7): any method may go again
    HttpResponse<String> r = post("/goaway-once", "order #1");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("h2c POST /goaway-once te=null body=8");
    assertThat(b.requests()).isEqualTo(1);
    assertThat(b.connections()).isEqualTo(2);
  }

  @Test
  void aRefusedStreamIsSentAgainWithItsBody() throws Exception {
    Http2Backend b = backend("h2c", "127.0.0.87");
    start(1, "[" + server(b) + "]");
    HttpResponse<String> r = post("/refuse-once", "order #2");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("h2c POST /refuse-once te=null body=8");
    assertThat(b.requests()).isEqualTo(1);
  }

  @Test
  void anUnprocessedPostWhoseBodyWasNotKeptIsNotSentAgain() throws Exception {
    Http2Backend b = backend("h2c", "127.0.0.86");
    start(1, "[" + server(b) + "]");
    // longer than what is kept to send again: the body streamed and is gone
    HttpResponse<String> r = post("/goaway-once", "x".repeat(RequestReplay.MAX_BYTES + 1));
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(b.requests()).isZero();
  }

  @Test
  void aRefusedServerSendsTheRequestToAnother() throws Exception {
    Http2Backend live = backend("live", "127.0.0.95");
    int closed = FreePorts.next();
    start(1, "[{ip: 127.0.0.96, port: %d}, %s]".formatted(closed, server(live)));
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> r = fx.client().get("/x");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).startsWith("live GET /x");
    }
    assertThat(fx.dataPlane.metrics().scrape())
        .containsPattern("limpet_upstream_errors_total\\{kind=\"connect\",pool=\"web\"} [1-9]");
  }

  @Test
  void aLongStreamOutlivesAReloadAndEndsOnlyAfterItsServersDrainTime() throws Exception {
    Http2Backend b = backend("h2c", "127.0.0.99");
    start(1, "[" + server(b) + "]");
    String pool = "pools: [{name: web, protocol: Http2, tunnelDrainSeconds: 1, servers: [%s]}]";
    String vs = "virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web}]\n";
    String serverLine = "{ip: %s, port: %d%s}";
    try (RawHttp client = new RawHttp(fx.port)) {
      client.send("GET /forever HTTP/1.1\r\nHost: web\r\n\r\n");
      assertThat(client.readUntil("open")).startsWith("HTTP/1.1 200");
      // a reload that keeps the server in service leaves the stream alone
      fx.apply(vs + pool.formatted(serverLine.formatted(b.ip(), b.port(), ", ratio: 2")));
      b.sendOnLongStreams("still-here");
      assertThat(client.readUntil("still-here")).contains("still-here");
      fx.apply(vs + pool.formatted(serverLine.formatted(b.ip(), b.port(), ", draining: true")));
      // the drain ends it after tunnelDrainSeconds: the client's chunked response is cut short
      assertThat(client.readUntilClosed()).doesNotContain("\r\n0\r\n");
    }
    assertThat(fx.dataPlane.metrics().scrape())
        .containsPattern("limpet_tunnels_drained_total\\{pool=\"web\"} 1");
  }

  @Test
  void h2OverTlsIsChosenByAlpn(@TempDir Path dir) throws Exception {
    Http2Backend b = Http2Backend.tls("h2", "127.0.0.97");
    backends.add(b);
    TestPki ca = TestPki.authority("listener-ca");
    ca.issue("listener", List.of(), List.of("127.0.0.1")).write(dir, "listener");
    fx = new ProxyFixture(1, 98, TlsProviders.select("auto"));
    fx.apply(
        new TlsDocument()
            .file("listener", dir, "listener", "listener")
            .tls("upstream: {verify: false}")
            .pool("protocol: Http2")
            .render("[" + server(b) + "]"));
    Client https = new Client("127.0.0.1", fx.port).https(ca.clientContext());
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = https.get("/tls");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).startsWith("h2 GET /tls");
    }
    assertThat(b.heads.get(0)).containsEntry(":scheme", "https");
    assertThat(b.connections()).isEqualTo(1);
  }
}
