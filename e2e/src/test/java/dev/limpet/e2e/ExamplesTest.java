package dev.limpet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.e2e.local.LimpetResources;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every folder of examples/, applied as a user applies it, checked as a user sees it: the status of
 * its resources and the HTTP answers through both data-plane replicas. A client's first request
 * goes to one replica and, once the other replica's admin port shows the replicated entry, every
 * later request, on either replica, must reach the same pod.
 */
@ExtendWith(SharedCluster.class)
@Timeout(120)
class ExamplesTest {
  static final int HTTP_COOKIE = 8080;
  static final int CLIENT_IP = 8081;
  static final int APP_COOKIE = 8082;
  static final int CUSTOM_HEADER = 8083;
  static final int DS_HEADER = 8084;
  static final int DS_JSESSIONID = 8085;
  static final int DENY_LIST = 8086;
  static final int HTTP2 = 8092;
  static final int STREAMS = 20;
  static final int CLIENTS = 12;
  static final int REQUESTS = 10;

  @Test
  void everyResourceOfTheExamplesIsReady() {
    LimpetResources resources = SharedCluster.cluster().resources();
    for (String kind : LimpetResources.KINDS)
      assertThat(resources.list(kind))
          .as(kind)
          .isNotEmpty()
          .allSatisfy(
              r ->
                  assertThat(LimpetResources.conditions(r))
                      .as(kind + "/" + r.getMetadata().getName())
                      .anySatisfy(
                          c -> assertThat(c.type() + "=" + c.status()).isEqualTo("Ready=True")));
    assertThat(
            resources
                .condition("VirtualService", "http-cookie", "Programmed")
                .orElseThrow()
                .message())
        .contains("every ready replica of data-plane group 'default' (2)");
    assertThat(resources.condition("DataScript", "jsessionid", "Compiled").orElseThrow().isTrue())
        .isTrue();
  }

  @Test
  void httpCookieKeepsEachClientOnItsPodOnBothReplicas() throws Exception {
    Set<String> used = new HashSet<>();
    for (int c = 0; c < CLIENTS; c++) {
      HttpAnswer first = Replicas.get(c % 2, HTTP_COOKIE, Map.of());
      String cookie = first.setCookie("LIMPET");
      assertThat(cookie).as("Set-Cookie LIMPET on the first answer").isNotNull();
      used.add(first.backend());
      for (int r = 0; r < REQUESTS; r++)
        assertThat(Replicas.get(r % 2, HTTP_COOKIE, Map.of("Cookie", "LIMPET=" + cookie)).backend())
            .isEqualTo(first.backend());
    }
    assertThat(used).as("new clients are spread over the pods").hasSizeGreaterThan(1);
  }

  @Test
  void clientIpKeepsEachAddressOnItsPodOnBothReplicas() throws Exception {
    Set<String> used = new HashSet<>();
    for (int c = 0; c < CLIENTS; c++) {
      String from = Replicas.client(c);
      String pod =
          Replicas.replicated(
                  1,
                  "persistence/client-ip/",
                  () -> Replicas.get(0, CLIENT_IP, from, "/", Map.of()))
              .backend();
      used.add(pod);
      for (int r = 0; r < REQUESTS; r++)
        assertThat(Replicas.get(r % 2, CLIENT_IP, from, "/", Map.of()).backend()).isEqualTo(pod);
    }
    assertThat(used).hasSizeGreaterThan(1);
  }

  @Test
  void appCookieLearnsJsessionidAndPinsItOnBothReplicas() throws Exception {
    learnsJsessionidAndPinsIt(APP_COOKIE, "persistence/app-cookie/");
  }

  @Test
  void dataScriptLearnsJsessionidAndPinsItOnBothReplicas() throws Exception {
    learnsJsessionidAndPinsIt(DS_JSESSIONID, "script/datascript-jsessionid/");
  }

  private void learnsJsessionidAndPinsIt(int port, String table) throws Exception {
    Set<String> used = new HashSet<>();
    for (int c = 0; c < CLIENTS / 2; c++) {
      int replica = c % 2;
      HttpAnswer login =
          Replicas.replicated(
              1 - replica, table, () -> Replicas.get(replica, port, null, "/login", Map.of()));
      String session = login.setCookie("JSESSIONID");
      assertThat(session).startsWith(login.backend() + "-");
      used.add(login.backend());
      Map<String, String> cookie = Map.of("Cookie", "JSESSIONID=" + session);
      for (int r = 0; r < REQUESTS; r++)
        assertThat(Replicas.get(r % 2, port, cookie).backend()).isEqualTo(login.backend());
    }
    assertThat(used).hasSizeGreaterThan(1);
  }

  @Test
  void customHeaderSendsEachRequestToThePodItNames() throws Exception {
    List<String> pods = SharedCluster.cluster().demo().pods();
    for (String pod : pods)
      for (int r = 0; r < 4; r++)
        assertThat(Replicas.get(r % 2, CUSTOM_HEADER, Map.of("X-Limpet-Server", pod)).backend())
            .isEqualTo(pod);
  }

  @Test
  void dataScriptHeaderPersistenceKeepsEachCdnClientOnItsPod() throws Exception {
    Set<String> used = new HashSet<>();
    for (int c = 0; c < CLIENTS; c++) {
      Map<String, String> header = Map.of("True-Client-IP", "203.0.113." + (c + 1));
      String pod =
          Replicas.replicated(
                  1, "script/datascript-header/", () -> Replicas.get(0, DS_HEADER, header))
              .backend();
      used.add(pod);
      for (int r = 0; r < REQUESTS; r++)
        assertThat(Replicas.get(r % 2, DS_HEADER, header).backend()).isEqualTo(pod);
    }
    assertThat(used).hasSizeGreaterThan(1);
  }

  @Test
  void http2ParallelFirstRequestsOfOneConnectionAllReachThePodTheFirstClaimed() throws Exception {
    Set<String> used = new HashSet<>();
    for (int c = 0; c < CLIENTS / 2; c++) {
      int replica = c % 2;
      String from = Replicas.client(c);
      List<String> bodies =
          Replicas.replicated(
              1 - replica,
              "persistence/http2/",
              () -> Replicas.streams(replica, HTTP2, from, STREAMS));
      Set<String> pods = new HashSet<>();
      for (String body : bodies) pods.add(HttpAnswer.backendOf(body));
      assertThat(pods)
          .as("the pods that answered %d first requests of %s on one connection", STREAMS, from)
          .hasSize(1)
          .doesNotContainNull();
      String pod = pods.iterator().next();
      used.add(pod);
      for (int r = 0; r < 4; r++) {
        assertThat(Replicas.get(r % 2, HTTP2, from, "/", Map.of()).backend())
            .as("HTTP/1.1 on the same port")
            .isEqualTo(pod);
        assertThat(Replicas.streams(r % 2, HTTP2, from, 2))
            .allSatisfy(b -> assertThat(HttpAnswer.backendOf(b)).isEqualTo(pod));
      }
    }
    assertThat(used).as("new clients are spread over the pods").hasSizeGreaterThan(1);
  }

  @Test
  void theDenyListRefusesItsClientsAndServesOthers() throws Exception {
    for (int replica = 0; replica < 2; replica++) {
      HttpAnswer denied = Replicas.get(replica, DENY_LIST, "127.0.3.7", "/", Map.of());
      assertThat(denied.status()).isEqualTo(403);
      assertThat(denied.backend()).isNull();
      HttpAnswer served = Replicas.get(replica, DENY_LIST, Replicas.client(0), "/", Map.of());
      assertThat(served.status()).isEqualTo(200);
      assertThat(served.backend()).isNotNull();
    }
  }
}
