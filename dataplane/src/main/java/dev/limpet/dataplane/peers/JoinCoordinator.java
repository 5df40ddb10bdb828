package dev.limpet.dataplane.peers;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * replica is alone and ready at once. A peer that refuses the link (wrong secret, no common
 * version) is not an absent one: its tables would silently diverge from ours, so it does not count
 * as "no answer", and is reported until it links or is gone. A resync cut short is asked again from
 * the next peer that answers. The sync timeout ends the wait in any case. Runs on the replication
 * thread.
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
  private volatile Map<InetSocketAddress, String> refusals = Map.of();

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
    forget(address);
    fallBack();
  }

  /** The peer at {@code address} refused the link in the handshake, for {@code why}. */
  void refused(InetSocketAddress address, String why) {
    answered.add(address);
    Map<InetSocketAddress, String> next = new LinkedHashMap<>(refusals);
    next.put(address, why);
    refusals = Collections.unmodifiableMap(next);
    fallBack();
  }

  /** Drops the refusal of {@code address}: it linked, has no peer any more, or left discovery. */
  void forget(InetSocketAddress address) {
    if (!refusals.containsKey(address)) return;
    Map<InetSocketAddress, String> next = new LinkedHashMap<>(refusals);
    next.remove(address);
    refusals = Collections.unmodifiableMap(next);
  }

  /** The peers whose latest answer refused the link, with why; safe to read from any thread. */
  Map<InetSocketAddress, String> refusals() {
    return refusals;
  }

  void connected(Candidate link) {
    answered.add(link.address());
    forget(link.address());
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
    if (!waiting.isEmpty()) use(waiting.get(0));
    else if (refusals.isEmpty()) join("no other replica answered");
    // else: peers are there but refuse us; only the sync timeout ends the wait
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
