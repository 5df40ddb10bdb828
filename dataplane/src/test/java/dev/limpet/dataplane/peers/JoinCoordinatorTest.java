package dev.limpet.dataplane.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class JoinCoordinatorTest {
  private final List<String> joins = new ArrayList<>();
  private final List<String> subscribed = new ArrayList<>();
  private final JoinCoordinator join = new JoinCoordinator(joins::add);

  private JoinCoordinator.Candidate peer(int n, boolean ready) {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", 1000 + n);
    return new JoinCoordinator.Candidate() {
      @Override
      public InetSocketAddress address() {
        return address;
      }

      @Override
      public boolean peerReady() {
        return ready;
      }

      @Override
      public void subscribe() {
        subscribed.add("p" + n);
      }
    };
  }

  private static Set<InetSocketAddress> addresses(JoinCoordinator.Candidate... peers) {
    Set<InetSocketAddress> all = new java.util.HashSet<>();
    for (JoinCoordinator.Candidate p : peers) all.add(p.address());
    return all;
  }

  @Test
  void oneReadyPeerResyncsUsAndTheOthersWaitUntilItIsDone() {
    var p1 = peer(1, true);
    var p2 = peer(2, true);
    join.expect(addresses(p1, p2));
    join.connected(p1);
    join.connected(p2);
    assertThat(subscribed).containsExactly("p1");
    assertThat(join.joined()).isFalse();
    join.resynced(p2, "not the source");
    assertThat(join.joined()).isFalse();
    join.resynced(p1, "resync from p1");
    assertThat(join.joined()).isTrue();
    assertThat(subscribed).containsExactly("p1", "p2");
    assertThat(joins).containsExactly("resync from p1");
  }

  @Test
  void aReadyPeerIsPreferredToOneThatIsStartingToo() {
    var starting = peer(1, false);
    var ready = peer(2, true);
    join.expect(addresses(starting, ready));
    join.connected(starting);
    assertThat(subscribed).isEmpty();
    join.connected(ready);
    assertThat(subscribed).containsExactly("p2");
  }

  @Test
  void whenEveryPeerIsStartingOneOfThemIsAsked() {
    var p1 = peer(1, false);
    var p2 = peer(2, false);
    join.expect(addresses(p1, p2));
    join.connected(p1);
    assertThat(subscribed).isEmpty();
    join.connected(p2);
    assertThat(subscribed).containsExactly("p1");
  }

  @Test
  void aloneWhenNoAddressHasAPeer() {
    var p1 = peer(1, true);
    join.expect(addresses(p1));
    assertThat(join.joined()).isFalse();
    join.noPeerAt(p1.address());
    assertThat(join.joined()).isTrue();
    assertThat(joins).containsExactly("no other replica answered");
  }

  @Test
  void aPeerThatRefusesTheLinkIsNotAnAbsentOneTheTimeoutEndsTheWait() {
    var p1 = peer(1, true);
    join.expect(addresses(p1));
    join.refused(p1.address(), "authentication failed (wrong peer secret)");
    assertThat(join.joined()).isFalse();
    assertThat(join.refusals())
        .containsExactly(Map.entry(p1.address(), "authentication failed (wrong peer secret)"));
    join.timeout("timed out");
    assertThat(joins).containsExactly("timed out");
    assertThat(join.refusals()).as("still reported after joining").hasSize(1);
  }

  @Test
  void aRefusalEndsWhenThePeerLinksOrIsGone() {
    var p1 = peer(1, true);
    var p2 = peer(2, true);
    join.expect(addresses(p1, p2));
    join.refused(p1.address(), "wrong secret");
    join.refused(p2.address(), "wrong secret");
    join.connected(p1);
    assertThat(join.refusals()).containsOnlyKeys(p2.address());
    join.noPeerAt(p2.address());
    assertThat(join.refusals()).isEmpty();
    join.resynced(p1, "resync from p1");
    assertThat(joins).containsExactly("resync from p1");
  }

  @Test
  void aResyncCutShortIsAskedOfAnotherPeer() {
    var p1 = peer(1, true);
    var p2 = peer(2, true);
    join.expect(addresses(p1, p2));
    join.connected(p1);
    join.connected(p2);
    join.lost(p1);
    assertThat(subscribed).containsExactly("p1", "p2");
    join.resynced(p2, "resync from p2");
    assertThat(joins).containsExactly("resync from p2");
  }

  @Test
  void theTimeoutEndsTheWaitAndReleasesWaitingLinks() {
    var p1 = peer(1, false);
    var p2 = peer(2, false);
    join.expect(addresses(p1, p2));
    join.connected(p1);
    join.timeout("timed out");
    assertThat(join.joined()).isTrue();
    assertThat(subscribed).containsExactly("p1");
    join.connected(p2);
    assertThat(subscribed).as("after joining, links subscribe at once").containsExactly("p1", "p2");
    join.timeout("again");
    assertThat(joins).containsExactly("timed out");
  }
}
