package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.RawHttp;
import dev.limpet.dataplane.testing.WebSocketBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WebSockets through a real data plane: the persistence hooks on the 101 that opens a tunnel
 * (traefik#3343: no persistence cookie on a WebSocket's 101), and the end of tunnels whose server
 * drains or leaves its pool. Real WebSocket backends, a raw client socket.
 */
@Timeout(60)
class WebSocketTest {
  private final List<WebSocketBackend> backends = new ArrayList<>();
  private final Set<String> draining = new HashSet<>();
  private final Set<String> disabled = new HashSet<>();
  private ProxyFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
    backends.forEach(WebSocketBackend::close);
  }

  /** Three WebSocket backends w1..w3 in pool ws; each 101 carries {@code setCookie} (w-named). */
  private void start(int loops, String poolExtra, String profile, boolean sessionOn101)
      throws Exception {
    for (int i = 1; i <= 3; i++)
      backends.add(
          new WebSocketBackend(
              "w" + i, "127.0.0.6" + i, sessionOn101 ? "JSESSIONID=s-w" + i + "; Path=/" : null));
    fx = new ProxyFixture(loops, 81);
    fx.apply(config(poolExtra, profile, backends));
  }

  private String config(String poolExtra, String profile, List<WebSocketBackend> servers) {
    StringBuilder list = new StringBuilder("[");
    for (WebSocketBackend b : servers)
      list.append(list.length() > 1 ? ", " : "")
          .append("{name: ")
          .append(name(b))
          .append(", ip: ")
          .append(b.ip())
          .append(", port: ")
          .append(b.port())
          .append(draining.contains(name(b)) ? ", draining: true" : "")
          .append(disabled.contains(name(b)) ? ", enabled: false" : "")
          .append("}");
    list.append("]");
    return fx.render(
        """
        virtualServices:
          - {name: ws, address: 127.0.0.1, port: ${port}, pool: ws%s}
        pools:
          - {name: ws, servers: %s%s%s}
        %s
        """
            .formatted(
                profile.contains("dataScripts") ? ", dataScripts: [mark]" : "",
                list,
                profile.startsWith("persistenceProfiles") ? ", persistenceProfile: sticky" : "",
                poolExtra,
                profile));
  }

  private String name(WebSocketBackend b) {
    return "w" + (backends.indexOf(b) + 1);
  }

  @ParameterizedTest(name = "{0} event loop(s)")
  @ValueSource(ints = {1, 2})
  void theHttpCookieIsSetOnThe101AndTheNextUpgradeWithItLandsOnTheSameServer(int loops)
      throws Exception {
    start(
        loops,
        "",
        "persistenceProfiles: [{name: sticky, type: HttpCookie, httpCookie: {name: LB}}]",
        false);
    Set<String> pinnedTo = new HashSet<>();
    for (int client = 0; client < 3; client++) {
      String cookie;
      String server;
      try (Tunnel first = Tunnel.open(fx.port, "")) {
        cookie = first.header("set-cookie");
        assertThat(cookie).as(first.head).startsWith("LB=");
        server = first.echo("hi");
      }
      pinnedTo.add(server);
      for (int i = 0; i < 6; i++) {
        try (Tunnel next = Tunnel.open(fx.port, "Cookie: " + cookie.split(";")[0] + "\r\n")) {
          assertThat(next.echo("again")).isEqualTo(server);
          assertThat(next.header("set-cookie")).as("a valid cookie is not set again").isNull();
        }
      }
    }
    assertThat(pinnedTo).as("clients without a cookie are balanced").hasSize(3);
  }

  @ParameterizedTest(name = "{0} event loop(s)")
  @ValueSource(ints = {1, 2})
  void anAppCookieIsLearnedFromTheServers101(int loops) throws Exception {
    start(loops, "", "persistenceProfiles: [{name: sticky, type: AppCookie}]", true);
    for (int client = 0; client < 3; client++) {
      String session;
      String server;
      try (Tunnel first = Tunnel.open(fx.port, "")) {
        session = first.header("set-cookie").split(";")[0];
        server = first.echo("hi");
      }
      assertThat(session).isEqualTo("JSESSIONID=s-" + server);
      for (int i = 0; i < 6; i++) {
        try (Tunnel next = Tunnel.open(fx.port, "Cookie: " + session + "\r\n")) {
          assertThat(next.echo("again")).isEqualTo(server);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0} event loop(s)")
  @ValueSource(ints = {1, 2})
  void httpResponseScriptsRunOnThe101(int loops) throws Exception {
    start(
        loops,
        "",
        """
        dataScripts:
          - name: mark
            events:
              httpResponse: |
                if avi.http.status() == "101" then avi.http.add_header("X-Upgraded-By", avi.pool.server_ip()) end
        """,
        false);
    try (Tunnel t = Tunnel.open(fx.port, "")) {
      String server = t.echo("hi");
      WebSocketBackend b = backends.get(Integer.parseInt(server.substring(1)) - 1);
      assertThat(t.header("x-upgraded-by")).as(t.head).isEqualTo(b.ip());
    }
  }

  @ParameterizedTest(name = "{0} event loop(s)")
  @ValueSource(ints = {1, 2})
  void aDrainingServersTunnelsEndAfterTunnelDrainSecondsAndTheOthersStayOpen(int loops)
      throws Exception {
    start(loops, ", tunnelDrainSeconds: 1", "", false);
    Map<String, Tunnel> tunnels = openOneTunnelPerServer();
    draining.add("w1");
    fx.apply(config(", tunnelDrainSeconds: 1", "", backends));

    assertOnlyEndedThenClose(tunnels, 0);
  }

  @ParameterizedTest(name = "{0} event loop(s)")
  @ValueSource(ints = {1, 2})
  void aServerRemovedFromThePoolHasItsTunnelsEndedAndTheOthersStayOpen(int loops) throws Exception {
    start(loops, ", tunnelDrainSeconds: 1", "", false);
    Map<String, Tunnel> tunnels = openOneTunnelPerServer();
    fx.apply(config(", tunnelDrainSeconds: 1", "", backends.subList(1, 3)));

    assertOnlyEndedThenClose(tunnels, 0);
  }

  @ParameterizedTest(name = "{0} event loop(s)")
  @ValueSource(ints = {1, 2})
  void aDisabledServersTunnelsEndAtOnceWhateverTheDrainTime(int loops) throws Exception {
    start(loops, ", tunnelDrainSeconds: 3600", "", false);
    Map<String, Tunnel> tunnels = openOneTunnelPerServer();
    disabled.add("w2");
    fx.apply(config(", tunnelDrainSeconds: 3600", "", backends));

    assertOnlyEndedThenClose(tunnels, 1);
  }

  @ParameterizedTest(name = "{0} event loop(s)")
  @ValueSource(ints = {1, 2})
  void aTunnelOpenedToAnAlreadyDrainingServerEndsToo(int loops) throws Exception {
    // a persisted client may still reach a draining server within drainPeriodSeconds
    start(
        loops,
        ", tunnelDrainSeconds: 1",
        "persistenceProfiles: [{name: sticky, type: HttpCookie, httpCookie: {name: LB}}]",
        false);
    String cookie;
    String server;
    try (Tunnel first = Tunnel.open(fx.port, "")) {
      cookie = first.header("set-cookie").split(";")[0];
      server = first.echo("hi");
    }
    draining.add(server);
    fx.apply(
        config(
            ", tunnelDrainSeconds: 1",
            "persistenceProfiles: [{name: sticky, type: HttpCookie, httpCookie: {name: LB}}]",
            backends));
    try (Tunnel late = Tunnel.open(fx.port, "Cookie: " + cookie + "\r\n")) {
      assertThat(late.echo("late")).isEqualTo(server);
      assertEnded(late, backends.get(Integer.parseInt(server.substring(1)) - 1));
    }
  }

  /** Round robin over w1..w3: one tunnel to each, by the name of the server it reached. */
  private Map<String, Tunnel> openOneTunnelPerServer() {
    Map<String, Tunnel> tunnels = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      Tunnel t = Tunnel.open(fx.port, "");
      tunnels.put(t.echo("hi"), t);
    }
    assertThat(tunnels).containsOnlyKeys("w1", "w2", "w3");
    return tunnels;
  }

  /**
   * The tunnel to server {@code ended} (index into w1..w3) has ended, the other two still echo;
   * then closes them all.
   */
  private void assertOnlyEndedThenClose(Map<String, Tunnel> tunnels, int ended) {
    String name = "w" + (ended + 1);
    assertEnded(tunnels.get(name), backends.get(ended));
    for (String other : List.of("w1", "w2", "w3")) {
      if (!other.equals(name)) {
        assertThat(tunnels.get(other).echo("still")).isEqualTo(other);
      }
    }
    tunnels.values().forEach(Tunnel::close);
  }

  /** The proxy closed both sides of {@code tunnel} cleanly (FIN), within the sockets' bound. */
  private static void assertEnded(Tunnel tunnel, WebSocketBackend server) {
    assertThat(tunnel.raw.ending()).isEqualTo("FIN");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(server.openConnections()).isZero());
  }

  /** A WebSocket through the proxy on a raw socket: the 101's head, then text frames. */
  static final class Tunnel implements AutoCloseable {
    final RawHttp raw;
    final String head;

    private Tunnel(RawHttp raw, String head) {
      this.raw = raw;
      this.head = head;
    }

    static Tunnel open(int port, String extraHeaders) {
      RawHttp raw = new RawHttp(port);
      String head =
          raw.send(
                  "GET /ws HTTP/1.1\r\nHost: ws.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                      + extraHeaders
                      + "\r\n")
              .readUntil("\r\n\r\n");
      assertThat(head).startsWith("HTTP/1.1 101 ");
      return new Tunnel(raw, head);
    }

    /** The first value of header {@code name} (lower case) on the 101; null when absent. */
    String header(String name) {
      for (String line : head.split("\r\n"))
        if (line.toLowerCase(Locale.ROOT).startsWith(name + ":"))
          return line.substring(name.length() + 1).trim();
      return null;
    }

    /** Sends {@code text} in a masked text frame; the name of the backend that echoed it. */
    String echo(String text) {
      StringBuilder frame = new StringBuilder();
      frame.append((char) 0x81).append((char) (0x80 | text.length())).append("\0\0\0\0");
      String answer = raw.send(frame.append(text).toString()).readUntil(":" + text);
      return answer.substring(
          answer.length() - text.length() - 3, answer.length() - text.length() - 1);
    }

    @Override
    public void close() {
      raw.close();
    }
  }
}
