package dev.limpet.dataplane.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.limpet.dataplane.DataPlane;
import dev.limpet.dataplane.persistence.PersistenceTable;
import dev.limpet.dataplane.testing.Client;
import dev.limpet.dataplane.testing.DataPlaneProcess;
import dev.limpet.dataplane.testing.FreePorts;
import dev.limpet.dataplane.testing.RawHttp;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica in a process of its own, killed (SIGKILL) and started again while two in-JVM replicas
 * keep learning: when it reports ready on its admin port, it holds the whole table.
 */
@Timeout(120)
class ReplicaRestartTest {
  private static final String TABLE = "persistence/sticky/web";
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private ReplicaCluster cluster;
  private DataPlaneProcess process;

  @AfterEach
  void stop() {
    if (process != null) process.close();
    if (cluster != null) cluster.close();
  }

  @Test
  void aKilledReplicaHasTheWholeTableWhenItReportsReadyAgain(@TempDir Path dir) throws Exception {
    cluster =
        new ReplicaCluster(
            3,
            101,
            """
            virtualServices:
              - {name: web, address: 127.0.0.1, port: ${port}, pool: web}
            pools:
              - {name: web, persistenceProfile: sticky, servers: ${servers}}
            persistenceProfiles:
              - {name: sticky, type: ClientIP}
            """);
    cluster.start(0);
    cluster.start(1);
    await().atMost(BOUND).until(() -> cluster.plane(0).ready() && cluster.plane(1).ready());
    DataPlane first = cluster.plane(0);
    fill(first, "a", 5_000);
    String client = "127.0.3.4";
    String pinned = RawHttp.backendFor(client, cluster.port(0), "/");

    Path config = Files.writeString(dir.resolve("limpet.yaml"), cluster.config(2));
    Path secret = Files.write(dir.resolve("peer-secret"), TestReplica.SECRET);
    int admin = FreePorts.next();
    List<String> arguments = new ArrayList<>();
    arguments.addAll(
        List.of(
            "--admin",
            "127.0.0.1:" + admin,
            "--threads",
            "1",
            "--replica-id",
            "replica-2",
            "--peer-listen",
            hostPort(cluster.peerAddresses.get(2)),
            "--peer-secret-file",
            secret.toString(),
            "--peers",
            cluster.peerAddresses.stream()
                .map(ReplicaRestartTest::hostPort)
                .collect(Collectors.joining(","))));
    Client adminClient = new Client("127.0.0.1", admin);

    process = DataPlaneProcess.start(config, cluster.port(2), arguments);
    awaitReadyWithWholeTable(adminClient, first);

    process.kill();
    fill(cluster.plane(1), "b", 3_000);
    for (int i = 0; i < 10; i++) first.tables().table(TABLE).remove("a-" + i);
    await().atMost(BOUND).until(() -> cluster.plane(1).tableSizes().equals(first.tableSizes()));

    process = DataPlaneProcess.start(config, cluster.port(2), arguments);
    awaitReadyWithWholeTable(adminClient, first);
    assertThat(RawHttp.backendFor(client, cluster.port(2), "/")).isEqualTo(pinned);
  }

  /** Polls /readyz; at its first 200, /tables must match and the join must be a full resync. */
  private void awaitReadyWithWholeTable(Client admin, DataPlane reference) throws Exception {
    // the admin port opens after the listeners, which is what DataPlaneProcess.start waits for
    await()
        .atMost(BOUND)
        .pollInterval(Duration.ofMillis(20))
        .ignoreException(UncheckedIOException.class)
        .until(() -> admin.get("/readyz").statusCode() == 200);
    Map<?, ?> tables = JSON.readValue(admin.get("/tables").body(), Map.class);
    assertThat(tables.get(TABLE)).isEqualTo(reference.tableSizes().get(TABLE));
    Map<?, ?> peers = JSON.readValue(admin.get("/peers").body(), Map.class);
    assertThat((String) peers.get("joined")).startsWith("full resync from replica");
  }

  private static void fill(DataPlane plane, String prefix, int n) {
    PersistenceTable table = plane.tables().table(TABLE);
    long expiry = System.currentTimeMillis() + 600_000;
    for (int i = 0; i < n; i++) table.put(prefix + "-" + i, "10.0.0." + (i % 5) + ":80", expiry);
  }

  private static String hostPort(InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }
}
