package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.dataplane.DataPlane;
import dev.limpet.dataplane.persistence.CookieKeySet;
import dev.limpet.dataplane.testing.Client;
import dev.limpet.dataplane.testing.FreePorts;
import dev.limpet.dataplane.testing.RawHttp;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code avi.vs.get_open_conns()}, {@code avi.vs.se_count()} without replication and {@code
 * avi.http.internal_status()} over real sockets.
 */
@Timeout(60)
class ScriptCountsTest {
  private DataPlane dataPlane;
  private int port;

  private void start(String script, String serverIp, int serverPort) throws Exception {
    port = FreePorts.next();
    dataPlane = new DataPlane(2, CookieKeySet.random());
    dataPlane.apply(
        """
        virtualServices: [{name: web, address: 127.0.0.1, port: %d, pool: web, dataScripts: [s]}]
        pools: [{name: web, servers: [{name: down, ip: %s, port: %d}]}]
        dataScripts:
          - name: s
            events:
        %s
        """
            .formatted(port, serverIp, serverPort, script.indent(6)));
  }

  @AfterEach
  void stop() {
    if (dataPlane != null) dataPlane.close();
  }

  @Test
  void getOpenConnsCountsTheListenersOpenConnectionsAndSeCountIsOneAlone() throws Exception {
    start(
        """
        httpRequest: |
          avi.http.response(200, {}, avi.vs.get_open_conns() .. " " .. avi.vs.se_count())
        """,
        "127.0.0.1",
        9);
    assertThat(probe()).isEqualTo("1 1");
    try (RawHttp idle1 = new RawHttp(port);
        RawHttp idle2 = new RawHttp(port)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> probe().equals("3 1"));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> probe().equals("1 1"));
  }

  /** The body of one request on a connection of its own, closed after it. */
  private String probe() {
    return probe("web");
  }

  private String probe(String host) {
    try (RawHttp probe = new RawHttp(port)) {
      String answer =
          probe
              .send("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .readUntilClosed();
      return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }
  }

  @Test
  void internalStatusIsTheStatusTheProxyWouldAnswerWhenNoServerAnswers() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.191"))) {
      closedPort = s.getLocalPort();
    }
    start(
        """
        httpResponseFailed: |
          avi.http.response(200, {}, "failed with " .. avi.http.internal_status())
        """,
        "127.0.0.191",
        closedPort);
    assertThat(new Client(port).get("/").body()).isEqualTo("failed with 502");
  }

  @Test
  void internalStatusIs503WhenNoServerIsUpAnd504WhenTheServerDoesNotAnswer() throws Exception {
    String script =
        """
        httpResponseFailed: |
          avi.http.response(200, {}, "failed with " .. avi.http.internal_status())
        """;
    try (ServerSocket silent =
        new ServerSocket(0, 8, java.net.InetAddress.getByName("127.0.0.192"))) {
      port = FreePorts.next();
      dataPlane = new DataPlane(1, CookieKeySet.random());
      dataPlane.apply(
          """
          virtualServices:
            - {name: web, address: 127.0.0.1, port: %d, pool: web, dataScripts: [s], timeouts: {upstreamResponseMs: 300}}
            - {name: off, address: 127.0.0.1, port: %d, hostnames: [off], pool: off, dataScripts: [s]}
          pools:
            - {name: web, servers: [{name: silent, ip: 127.0.0.192, port: %d}]}
            - {name: off, servers: [{name: off, ip: 127.0.0.192, port: %d, enabled: false}]}
          dataScripts:
            - name: s
              events:
          %s
          """
              .formatted(
                  port, port, silent.getLocalPort(), silent.getLocalPort(), script.indent(8)));
      assertThat(new Client(port).get("/").body()).isEqualTo("failed with 504");
      assertThat(probe("off")).isEqualTo("failed with 503");
    }
  }

  @Test
  void internalStatusIsRefusedOutsideResponseFailed() throws Exception {
    start(
        """
        httpRequest: |
          avi.http.internal_status()
        """,
        "127.0.0.1",
        9);
    assertThat(new Client(port).get("/").statusCode()).isEqualTo(500);
  }
}
