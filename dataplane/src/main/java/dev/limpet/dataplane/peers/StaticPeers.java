package dev.limpet.dataplane.peers;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A fixed list of peers, for use outside a cluster and in tests. */
public final class StaticPeers implements PeerDiscovery {
  private final Set<InetSocketAddress> peers;

  public StaticPeers(List<InetSocketAddress> peers) {
    this.peers = Set.copyOf(peers);
  }

  @Override
  public CompletionStage<Set<InetSocketAddress>> resolve() {
    return CompletableFuture.completedFuture(peers);
  }

  @Override
  public String describe() {
    return "static " + peers;
  }
}
