package dev.limpet.dataplane.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.dataplane.DataPlane;
import dev.limpet.dataplane.persistence.PersistenceTable;
import dev.limpet.dataplane.testing.Client;
import dev.limpet.dataplane.testing.RawHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three data planes replicating their tables, with real backends and real clients: a client whose
 * requests land on every replica in turn stays on its server, for each table-backed persistence.
 */
@Timeout(120)
class ReplicatedPersistenceTest {
  private static final int REQUESTS = 1_002;
  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final String NATIVE =
      """
      virtualServices:
        - {name: web, address: 127.0.0.1, port: ${port}, pool: web}
      pools:
        - {name: web, persistenceProfile: sticky, servers: ${servers}}
      persistenceProfiles:
        - %s
      """;
  private static final String DATASCRIPT =
      """
      virtualServices:
        - {name: app, address: 127.0.0.1, port: ${port}, pool: web, dataScripts: [jsessionid]}
      pools:
        - {name: web, servers: ${servers}}
      dataScripts:
        - name: jsessionid
          pools: [{pool: web}]
          events:
            httpRequest: |
              local session = avi.http.get_cookie("JSESSIONID")
              if session then
                local server = avi.vs.table_lookup("sessions", session, 1800)
                if server then
                  local ip, port = server:match("^(.+):(%d+)$")
                  avi.pool.select("web", ip, port)
                end
              end
            httpResponse: |
              local session = avi.http.get_cookie("JSESSIONID", avi.HTTP_RESPONSE)
              if session then
                local ip, port = avi.pool.get_server_info()
                avi.vs.table_insert("sessions", session, ip .. ":" .. port, 1800)
              end
      """;

  private ReplicaCluster cluster;

  private ReplicaCluster start(String config) throws Exception {
    cluster = new ReplicaCluster(3, 81, config);
    for (int i = 0; i < 3; i++) cluster.start(i);
    for (int i = 0; i < 3; i++) await().atMost(BOUND).until(cluster.plane(i)::ready);
    return cluster;
  }

  @AfterEach
  void stop() {
    if (cluster != null) cluster.close();
  }

  private void awaitEverywhere(String table, String key) {
    awaitOn(3, table, key);
  }

  /** Waits until replicas 0 to {@code replicas - 1} hold {@code key}. */
  private void awaitOn(int replicas, String table, String key) {
    for (int i = 0; i < replicas; i++) {
      DataPlane plane = cluster.plane(i);
      await().atMost(BOUND).until(() -> plane.tables().table(table).lookup(key) != null);
    }
  }

  @Test
  void clientIpStaysOnOneServerWhateverReplicaItReaches() throws Exception {
    start(NATIVE.formatted("{name: sticky, type: ClientIP}"));
    String client = "127.0.3.1";
    String first = RawHttp.backendFor(client, cluster.port(0), "/");
    awaitEverywhere("persistence/sticky/web", client);
    for (int i = 1; i <= REQUESTS; i++)
      assertThat(RawHttp.backendFor(client, cluster.port(i % 3), "/"))
          .as("request %d", i)
          .isEqualTo(first);
  }

  @Test
  void appCookieStaysOnOneServerWhateverReplicaItReaches() throws Exception {
    start(NATIVE.formatted("{name: sticky, type: AppCookie}"));
    sessionStaysOnItsServer("persistence/sticky/web", 1);
  }

  @Test
  void aDataScriptTableStaysOnOneServerWhateverReplicaItReaches() throws Exception {
    start(DATASCRIPT);
    sessionStaysOnItsServer("script/app/sessions", 2);
  }

  /** A session learned on one replica, then requests on every replica in turn. */
  private void sessionStaysOnItsServer(String table, int learnedOn) {
    List<Client> replicas =
        List.of(
            new Client(cluster.port(0)), new Client(cluster.port(1)), new Client(cluster.port(2)));
    HttpResponse<String> login = replicas.get(learnedOn).get("/login");
    String session = login.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
    String server = Client.backend(login);
    awaitEverywhere(table, session.substring("JSESSIONID=".length()));
    for (int i = 1; i <= REQUESTS; i++)
      assertThat(Client.backend(replicas.get(i % 3).get("/", "Cookie", session)))
          .as("request %d", i)
          .isEqualTo(server);
  }

  @Test
  void aClientIpEntryLivesEverywhereWhileAnyReplicaHoldsAConnection() throws Exception {
    start(
        NATIVE.formatted(
            "{name: sticky, type: ClientIP, clientIp: {timeoutMinutes: 0.05}}")); // 3 s
    String client = "127.0.3.2";
    String table = "persistence/sticky/web";
    try (RawHttp onReplica0 = new RawHttp(client, cluster.port(0));
        RawHttp onReplica1 = new RawHttp(client, cluster.port(1))) {
      String first =
          RawHttp.backendOf(
              onReplica0.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").readUntil("backend="));
      awaitEverywhere(table, client);
      assertThat(
              RawHttp.backendOf(
                  onReplica1.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").readUntil("backend=")))
          .isEqualTo(first);

      onReplica0.close();
      // replica 1 still holds a connection: the entry outlives the 3 s timeout on every replica
      await()
          .during(Duration.ofSeconds(6))
          .atMost(Duration.ofSeconds(8))
          .until(() -> allHave(table, client));
      assertThat(RawHttp.backendFor(client, cluster.port(2), "/")).isEqualTo(first);
    }
    // the last connection closed: the countdown runs out on every replica
    for (int i = 0; i < 3; i++) {
      PersistenceTable t = cluster.plane(i).tables().table(table);
      await().atMost(Duration.ofSeconds(10)).until(() -> t.lookup(client) == null);
    }
  }

  @Test
  void aNewReplicaHasTheWholeTableWhenItReportsReady() throws Exception {
    cluster = new ReplicaCluster(3, 91, NATIVE.formatted("{name: sticky, type: ClientIP}"));
    cluster.start(0);
    cluster.start(1);
    await().atMost(BOUND).until(() -> cluster.plane(0).ready() && cluster.plane(1).ready());
    PersistenceTable table = cluster.plane(0).tables().table("persistence/sticky/web");
    long expiry = System.currentTimeMillis() + 600_000;
    for (int i = 0; i < 20_000; i++)
      table.put("198.18." + (i / 250) + "." + (i % 250), "10.0.0.1:80", expiry);
    String client = "127.0.3.3";
    String pinned = RawHttp.backendFor(client, cluster.port(1), "/");
    awaitOn(2, "persistence/sticky/web", client);

    DataPlane late = cluster.start(2);
    await().atMost(BOUND).until(late::ready);
    assertThat(late.tableSizes()).isEqualTo(cluster.plane(0).tableSizes());
    assertThat(late.tableSizes().get("persistence/sticky/web")).isEqualTo(20_001);
    assertThat((String) late.peersView().get("joined")).startsWith("full resync from replica");
    assertThat(RawHttp.backendFor(client, cluster.port(2), "/")).isEqualTo(pinned);
  }

  private boolean allHave(String table, String key) {
    for (int i = 0; i < 3; i++)
      if (cluster.plane(i).tables().table(table).lookup(key) == null) return false;
    return true;
  }

  @Test
  void theAdminViewShowsTheLinks() throws Exception {
    start(NATIVE.formatted("{name: sticky, type: ClientIP}"));
    DataPlane plane = cluster.plane(0);
    await()
        .atMost(BOUND)
        .until(() -> plane.metrics().scrape().contains("limpet_peers_connected 2.0"));
    Map<String, Object> view = plane.peersView();
    assertThat(view).containsEntry("replica", "replica-0").containsEntry("ready", true);
    assertThat(view.get("receivingFrom").toString())
        .contains("replica-1", "replica-2", "state=self");
    assertThat(plane.metrics().scrape())
        .contains(
            "limpet_peer_resyncs_total{direction=\"received\"}",
            "limpet_peer_replication_lag_seconds_bucket");
  }
}
