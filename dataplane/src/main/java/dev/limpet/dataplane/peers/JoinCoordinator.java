package dev.limpet.dataplane.peers;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A starting replica's first full resync, from one peer, and the readiness that follows it.
 *
 * <p>The first authenticated peer that is ready itself is asked for a full resync; the other links
 * wait, so that a joining replica costs the cluster one full resync, not one per peer. When that
 * resync completes, the waiting links subscribe from the positions it carried (and mostly resume).
 * When every address of the first discovery round has answered and none of the peers is ready (a
 * cluster starting together), a not-ready peer is asked instead; when none answered at all, this
 * replica is alone and ready at once. A resync cut short is asked again from the next peer that
 * answers. The sync timeout ends the wait in any case. Runs on the replication thread.
 */
final class JoinCoordinator {
  /** A link to a peer, authenticated and not yet subscribed. */
  interface Candidate {
    InetSocketAddress address();

    boolean peerReady();

    /** Starts receiving the peer's changes (a full resync unless it can resume). */
    void subscribe();
  }

  private final Consumer<String> onJoined;
  private final List<Candidate> waiting = new ArrayList<>();
  private final Set<InetSocketAddress> answered = new HashSet<>();
  private Set<InetSocketAddress> expected;
  private Candidate source;
  private volatile boolean joined;

  /**
   * @param onJoined told once, with how the join ended
   */
  JoinCoordinator(Consumer<String> onJoined) {
    this.onJoined = onJoined;
  }

  boolean joined() {
    return joined;
  }

  /** The addresses of the first discovery round; later rounds do not change the plan. */
  void expect(Collection<InetSocketAddress> addresses) {
    if (expected == null) {
      expected = Set.copyOf(addresses);
      fallBack();
    }
  }

  /** An address answered without a peer: nothing listens there, or it is this replica. */
  void noPeerAt(InetSocketAddress address) {
    answered.add(address);
    fallBack();
  }

  void connected(Candidate link) {
    answered.add(link.address());
    if (joined) {
      link.subscribe();
    } else if (source == null && link.peerReady()) {
      use(link);
    } else {
      waiting.add(link);
      fallBack();
    }
  }

  void resynced(Candidate link, String how) {
    if (!joined && link == source) join(how);
  }

  void lost(Candidate link) {
    waiting.remove(link);
    if (joined || link != source) return;
    source = null;
    // the link may come back at once; until it does or another peer answers, keep waiting
    waiting.stream().filter(Candidate::peerReady).findFirst().ifPresent(this::use);
    if (source == null && !waiting.isEmpty()) fallBack();
  }

  void timeout(String how) {
    if (!joined) join(how);
  }

  private void fallBack() {
    if (joined || source != null || expected == null || !answered.containsAll(expected)) return;
    if (waiting.isEmpty()) join("no other replica answered");
    else use(waiting.get(0));
  }

  private void use(Candidate link) {
    waiting.remove(link);
    source = link;
    link.subscribe();
  }

  private void join(String how) {
    joined = true;
    source = null;
    List<Candidate> released = new ArrayList<>(waiting);
    waiting.clear();
    released.forEach(Candidate::subscribe);
    onJoined.accept(how);
  }
}
