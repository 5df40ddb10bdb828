package dev.limpet.dataplane.peers;

import dev.limpet.contract.ConfigException;
import dev.limpet.dataplane.DataPlane;
import dev.limpet.dataplane.persistence.CookieKeySet;
import dev.limpet.dataplane.testing.FreePorts;
import dev.limpet.testsupport.Backend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Data planes in this JVM that replicate their tables, behind one set of real backends: replica
 * {@code i} listens for HTTP on 127.0.0.1:{@code port(i)} and for peers on 127.0.0.{first+i}; each
 * knows every replica's peer address (its own included). Even replicas run one event loop, odd ones
 * two, so that thread-affinity mistakes show. Config templates name the listener port {@code
 * ${port}} and the pool's servers {@code ${servers}}.
 */
final class ReplicaCluster implements AutoCloseable {
  final List<Backend> backends = new ArrayList<>();
  final List<InetSocketAddress> peerAddresses = new ArrayList<>();
  private final int[] ports;
  private final DataPlane[] planes;
  private final String template;
  private final CookieKeySet keys = CookieKeySet.random();

  ReplicaCluster(int replicas, int firstPeerHost, String template) throws IOException {
    this.template = template;
    this.ports = new int[replicas];
    this.planes = new DataPlane[replicas];
    for (int i = 0; i < replicas; i++) {
      ports[i] = FreePorts.next();
      peerAddresses.add(new InetSocketAddress("127.0.0." + (firstPeerHost + i), FreePorts.next()));
    }
    try {
      for (String name : List.of("s1", "s2", "s3"))
        backends.add(Backend.start(name, "127.0.0." + (firstPeerHost + 10 + backends.size())));
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  /** Starts replica {@code i} and applies its configuration (it may not be ready yet). */
  DataPlane start(int i) throws ConfigException {
    PeerSettings settings =
        PeerSettings.of(
                "replica-" + i,
                peerAddresses.get(i),
                new StaticPeers(peerAddresses),
                TestReplica.SECRET)
            .withTiming(TestReplica.TIMING)
            .withSyncTimeout(Duration.ofSeconds(30));
    planes[i] = new DataPlane(1 + i % 2, keys, settings);
    planes[i].apply(config(i));
    return planes[i];
  }

  DataPlane plane(int i) {
    return planes[i];
  }

  int port(int i) {
    return ports[i];
  }

  void stop(int i) {
    if (planes[i] != null) planes[i].close();
    planes[i] = null;
  }

  String config(int i) {
    StringBuilder servers = new StringBuilder("[");
    for (Backend b : backends) {
      if (servers.length() > 1) servers.append(", ");
      servers.append("{name: %s, ip: %s, port: %d}".formatted(b.name(), b.ip(), b.port()));
    }
    return template
        .replace("${port}", Integer.toString(ports[i]))
        .replace("${servers}", servers.append("]").toString());
  }

  @Override
  public void close() {
    for (int i = 0; i < planes.length; i++) stop(i);
    backends.forEach(Backend::close);
  }

  @Override
  public String toString() {
    return "replicas on ports " + Arrays.toString(ports);
  }
}
