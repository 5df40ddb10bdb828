package dev.limpet.dataplane.peers;

import dev.limpet.dataplane.persistence.PersistenceTable;
import dev.limpet.dataplane.persistence.PersistenceTable.Entry;
import dev.limpet.dataplane.persistence.TableRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A replica without a proxy: a table registry replicated by a real {@link PeerService} on its own
 * loopback address, with test timings (heartbeat 100 ms, dead after 1 s, reconnect 50-400 ms).
 */
final class TestReplica implements AutoCloseable {
  static final byte[] SECRET = "a secret shared by all replicas".getBytes(StandardCharsets.UTF_8);
  static final PeerSettings.Timing TIMING =
      new PeerSettings.Timing(
          Duration.ofMillis(100),
          Duration.ofSeconds(1),
          Duration.ofMillis(50),
          Duration.ofMillis(400),
          Duration.ofMillis(200));

  final String id;
  final InetSocketAddress address;
  final TableRegistry tables;
  final CountingPeerMetrics metrics = new CountingPeerMetrics();
  final PeerService service;

  TestReplica(String id, InetSocketAddress address, List<InetSocketAddress> peers)
      throws InterruptedException {
    this(
        PeerSettings.of(id, address, new StaticPeers(peers), SECRET)
            .withTiming(TIMING)
            .withSyncTimeout(Duration.ofSeconds(30)));
  }

  TestReplica(PeerSettings settings) throws InterruptedException {
    this.id = settings.replicaId();
    this.address = settings.listen();
    this.tables = new TableRegistry(2_000_000, System::currentTimeMillis, id);
    this.service = PeerService.start(settings, tables, metrics);
  }

  PersistenceTable table(String name) {
    return tables.table(name);
  }

  /** Every entry of every table, tombstones included: {@code table key → entry}. */
  Map<String, Entry> contents() {
    Map<String, Entry> all = new TreeMap<>();
    for (PersistenceTable t : tables.tables())
      t.replicatedEntries()
          .forEachRemaining(e -> all.put(t.name() + " " + e.getKey(), e.getValue()));
    return all;
  }

  @Override
  public void close() {
    service.close();
  }
}
