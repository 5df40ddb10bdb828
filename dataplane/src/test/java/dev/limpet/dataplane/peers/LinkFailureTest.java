package dev.limpet.dataplane.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.dataplane.persistence.PersistenceTable;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Links that break, go silent or fall behind, and how replication gets over it. */
@Timeout(60)
class LinkFailureTest {
  private static final String TABLE = "persistence/sticky/web";
  private static final Duration BOUND = Duration.ofSeconds(15);
  private ReplicaMesh mesh;

  private ReplicaMesh start(UnaryOperator<PeerSettings> tune) throws Exception {
    mesh = new ReplicaMesh(3, 41, tune);
    for (TestReplica r : mesh.replicas) await().atMost(BOUND).until(r.service::ready);
    for (TestReplica r : mesh.replicas)
      await().atMost(BOUND).until(() -> r.metrics.connected.get() == 2);
    return mesh;
  }

  @AfterEach
  void stop() {
    if (mesh != null) mesh.close();
  }

  private static void write(TestReplica r, String prefix, int n) {
    PersistenceTable table = r.table(TABLE);
    long expiry = System.currentTimeMillis() + 600_000;
    for (int i = 0; i < n; i++) table.put(prefix + i, "10.0.0.1:80", expiry);
  }

  private static boolean has(TestReplica r, String prefix, int n) {
    for (int i = 0; i < n; i++) if (r.table(TABLE).lookup(prefix + i) == null) return false;
    return true;
  }

  @Test
  void aCutLinkResumesFromTheLastAcknowledgementWhenHealed() throws Exception {
    start(s -> s);
    TestReplica a = mesh.get(0);
    TestReplica b = mesh.get(1);
    TestReplica c = mesh.get(2);
    long resyncs = a.metrics.resyncsReceived.get();

    mesh.link(0, 1).cut(); // a no longer hears b
    await().atMost(BOUND).until(() -> a.metrics.connected.get() == 1);
    write(b, "during-cut-", 500);
    await().atMost(BOUND).until(() -> has(c, "during-cut-", 500));
    assertThat(a.table(TABLE).lookup("during-cut-0")).as("changes are not relayed").isNull();

    mesh.link(0, 1).heal();
    await().atMost(BOUND).until(() -> has(a, "during-cut-", 500));
    assertThat(a.metrics.resyncsReceived).as("resumed, no full resync").hasValue(resyncs);
  }

  @Test
  void aLinkThatFellBehindTheChangeLogGetsAFullResync() throws Exception {
    start(s -> s.withResumeChanges(64));
    TestReplica a = mesh.get(0);
    TestReplica b = mesh.get(1);
    long resyncs = a.metrics.resyncsReceived.get();

    mesh.link(0, 1).cut();
    await().atMost(BOUND).until(() -> a.metrics.connected.get() == 1);
    write(b, "many-", 1_000);
    mesh.link(0, 1).heal();
    await().atMost(BOUND).until(() -> has(a, "many-", 1_000));
    assertThat(a.metrics.resyncsReceived.get()).isEqualTo(resyncs + 1);
  }

  @Test
  void aSilentLinkIsDetectedAndReconnected() throws Exception {
    start(s -> s);
    TestReplica a = mesh.get(0);
    TestReplica b = mesh.get(1);

    mesh.link(0, 1).freeze(); // open but silent: only the missing heartbeats tell
    await().atMost(BOUND).until(() -> a.metrics.connected.get() == 1);
    write(b, "while-silent-", 50);
    mesh.link(0, 1).heal();
    await().atMost(BOUND).until(() -> has(a, "while-silent-", 50));
    await().atMost(BOUND).until(() -> a.metrics.connected.get() == 2);
  }
}
