package dev.limpet.dataplane.peers;

import dev.limpet.dataplane.testing.FreePorts;
import dev.limpet.testsupport.Relay;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Replicas on 127.0.0.{first}, {first+1}... whose every link runs through its own {@link Relay}:
 * replica {@code i} reaches replica {@code j} at the relay {@code link(i, j)} (carrying j's changes
 * to i), so links can be cut, frozen and healed one direction at a time.
 */
final class ReplicaMesh implements AutoCloseable {
  final List<TestReplica> replicas = new ArrayList<>();
  private final Map<String, Relay> relays = new LinkedHashMap<>();

  ReplicaMesh(int count, int first, UnaryOperator<PeerSettings> tune)
      throws IOException, InterruptedException {
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (int i = 0; i < count; i++)
      addresses.add(new InetSocketAddress("127.0.0." + (first + i), FreePorts.next()));
    try {
      for (int i = 0; i < count; i++) {
        List<InetSocketAddress> peers = new ArrayList<>();
        for (int j = 0; j < count; j++) {
          if (i == j) continue;
          Relay relay =
              new Relay(new InetSocketAddress("127.0.0." + (first + i), 0), addresses.get(j));
          relays.put(i + ">" + j, relay);
          peers.add(relay.address());
        }
        PeerSettings settings =
            PeerSettings.of("r" + i, addresses.get(i), new StaticPeers(peers), TestReplica.SECRET)
                .withTiming(TestReplica.TIMING);
        replicas.add(new TestReplica(tune.apply(settings)));
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
  }

  TestReplica get(int i) {
    return replicas.get(i);
  }

  /** The relay through which replica {@code i} receives replica {@code j}'s changes. */
  Relay link(int i, int j) {
    return relays.get(i + ">" + j);
  }

  /** Cuts both directions between {@code i} and {@code j}. */
  void cut(int i, int j) {
    link(i, j).cut();
    link(j, i).cut();
  }

  void heal(int i, int j) {
    link(i, j).heal();
    link(j, i).heal();
  }

  @Override
  public void close() {
    replicas.forEach(TestReplica::close);
    relays.values().forEach(Relay::close);
  }
}
