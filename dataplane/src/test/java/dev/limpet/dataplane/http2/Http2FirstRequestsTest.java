package dev.limpet.dataplane.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.RawH2;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Persistence on one HTTP/2 connection that carries many first requests at once, as a browser sends
 * them (haproxy#2295): 20 streams without a cookie in one write, three servers balanced round
 * robin, so that requests deciding on their own would spread. ClientIP and DataScript tables pin
 * all 20 to one server (the first claims, the rest follow: see {@code FirstResponseGate} for the
 * tables); HttpCookie and AppCookie balance each first request and stick by its cookie.
 */
@Timeout(60)
class Http2FirstRequestsTest {

  private ProxyFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  @Test
  void clientIpPinsTwentyFirstStreamsToOneServer() throws Exception {
    start(
        221, "persistenceProfile: sticky", "persistenceProfiles: [{name: sticky, type: ClientIP}]");
    try (RawH2 h2 = new RawH2(fx.port)) {
      // the first answer takes 300 ms, so every stream of the write is read before it comes back
      Map<Integer, RawH2.Frame> first = FirstRequests.send(h2, 1, "/slow?ms=300");
      assertThat(FirstRequests.backends(first)).hasSize(1);
      assertThat(FirstRequests.backends(FirstRequests.send(h2, 1 + 2 * FirstRequests.COUNT, "/")))
          .isEqualTo(FirstRequests.backends(first));
    }
  }

  @Test
  void dataScriptTablesPinTwentyFirstStreamsToOneServer() throws Exception {
    fx = FirstRequests.scripted(224, 30_000, "", FirstRequests.CLIENT_IP_TABLE);
    try (RawH2 h2 = new RawH2(fx.port)) {
      // the first answer takes 300 ms, so every stream of the write is read before it comes back
      Map<Integer, RawH2.Frame> first = FirstRequests.send(h2, 1, "/slow?ms=300");
      assertThat(FirstRequests.backends(first)).hasSize(1);
      assertThat(FirstRequests.backends(FirstRequests.send(h2, 1 + 2 * FirstRequests.COUNT, "/")))
          .isEqualTo(FirstRequests.backends(first));
    }
    // one stream claimed; the other 19 waited for its response, and no later stream did
    assertThat(fx.dataPlane.metrics().scrape())
        .contains(
            "limpet_http2_held_streams_total{outcome=\"response\",virtual_service=\"web\"} 19.0");
  }

  @Test
  void httpCookieBalancesEachFirstStreamAndItsCookieSticks() throws Exception {
    start(
        227,
        "persistenceProfile: sticky",
        "persistenceProfiles: [{name: sticky, type: HttpCookie}]");
    try (RawH2 h2 = new RawH2(fx.port)) {
      Map<Integer, RawH2.Frame> first = FirstRequests.send(h2, 1, "/");
      assertThat(FirstRequests.backends(first)).containsExactlyInAnyOrder("a", "b", "c");
      // every first stream gets a cookie naming its own server; one server's responses within the
      // same second may share a value (IssuedCookies), so a value is never seen with two servers
      Map<String, String> serverByCookie = new HashMap<>();
      for (RawH2.Frame f : first.values()) {
        String cookie = f.headers().get("set-cookie").toString().split(";")[0];
        String server = f.headers().get("x-backend").toString();
        assertThat(serverByCookie.putIfAbsent(cookie, server)).as(cookie).isIn(null, server);
      }
      assertThat(serverByCookie.values())
          .containsOnly("a", "b", "c")
          .hasSizeGreaterThanOrEqualTo(3);
      assertSticks(h2, serverByCookie);
    }
  }

  @Test
  void appCookieIsLearnedFromEachFirstResponseAndSticks() throws Exception {
    start(
        230,
        "persistenceProfile: sticky",
        "persistenceProfiles: [{name: sticky, type: AppCookie}]");
    try (RawH2 h2 = new RawH2(fx.port)) {
      Map<Integer, RawH2.Frame> first = FirstRequests.send(h2, 1, "/login");
      assertThat(FirstRequests.backends(first)).containsExactlyInAnyOrder("a", "b", "c");
      Map<String, String> serverByCookie = new HashMap<>();
      for (RawH2.Frame f : first.values()) {
        String session = f.headers().get("set-cookie").toString().split(";")[0];
        // the backend names itself in the session: JSESSIONID=<backend>-<n>
        assertThat(session).startsWith("JSESSIONID=" + f.headers().get("x-backend") + "-");
        serverByCookie.put(session, f.headers().get("x-backend").toString());
      }
      assertSticks(h2, serverByCookie);
    }
  }

  /** Sends each cookie on a stream of its own, all at once: each reaches its cookie's server. */
  private void assertSticks(RawH2 h2, Map<String, String> serverByCookie) throws Exception {
    List<String> cookies = List.copyOf(serverByCookie.keySet());
    int firstStream = 1 + 2 * FirstRequests.COUNT;
    for (int i = 0; i < cookies.size(); i++)
      h2.headers(
          firstStream + 2 * i,
          RawH2.END_STREAM | RawH2.END_HEADERS,
          RawH2.get("/", "cookie", cookies.get(i)));
    h2.flush();
    Map<Integer, RawH2.Frame> answers =
        h2.answers(FirstRequests.streams(firstStream, cookies.size()), 400);
    assertThat(answers).hasSize(cookies.size());
    for (int i = 0; i < cookies.size(); i++)
      assertThat(answers.get(firstStream + 2 * i).headers().get("x-backend").toString())
          .as(cookies.get(i))
          .isEqualTo(serverByCookie.get(cookies.get(i)));
  }

  /**
   * Three backends balanced round robin; {@code poolExtra} goes into the pool, {@code rest} after.
   */
  private void start(int firstAddress, String poolExtra, String rest) throws Exception {
    fx = new ProxyFixture(2, firstAddress, "a", "b", "c");
    fx.apply(
        ("virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web, http2:"
                + " {enabled: true}}]\n"
                + "pools: [{name: web, servers: %s, %s}]\n"
                + "%s\n")
            .formatted(fx.servers(), poolExtra, rest));
  }
}
