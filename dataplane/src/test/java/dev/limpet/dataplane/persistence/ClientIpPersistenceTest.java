package dev.limpet.dataplane.persistence;

import static dev.limpet.dataplane.persistence.TestRequests.fromClient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.PersistenceProfileConfig;
import dev.limpet.contract.PersistenceProfileConfig.ClientIp;
import dev.limpet.contract.PersistenceProfileConfig.Type;
import dev.limpet.contract.PoolConfig;
import dev.limpet.dataplane.http.ClientRequest;
import dev.limpet.dataplane.persistence.Persistence.Hold;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ClientIpPersistenceTest {
  private static final long MINUTE = 60_000;
  private static final ClientRequest CLIENT = fromClient("192.0.2.10");

  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private final TableRegistry registry = new TableRegistry(1_000, now::get);
  private final PoolConfig pool = new PoolConfig("web", null, null, null, "sticky", 0, 0);

  private Persistence clientIp(Double timeoutMinutes, Integer v4, Integer v6) {
    var profile =
        new PersistenceProfileConfig(
            "sticky", Type.ClientIP, null, new ClientIp(timeoutMinutes, v4, v6));
    return PersistenceFactory.create(profile, pool, registry, CookieKeySet.random(), now::get);
  }

  /** Advances the clock second by second, ticking like the lead's scheduler does. */
  private void runFor(long millis, Persistence... ticked) {
    for (long end = now.get() + millis; now.get() < end; now.addAndGet(1_000)) {
      for (Persistence p : ticked) p.tick();
    }
  }

  @Test
  void remembersTheServerForTheTimeoutWhenNoConnectionIsOpen() {
    Persistence p = clientIp(5.0, null, null);
    assertThat(p.pinnedServer(CLIENT)).isNull();
    p.remember(CLIENT, "10.0.0.1:80");
    assertThat(p.pinnedServer(CLIENT)).isEqualTo("10.0.0.1:80");
    now.addAndGet(5 * MINUTE - 1);
    assertThat(p.pinnedServer(CLIENT)).isEqualTo("10.0.0.1:80");
    now.addAndGet(1);
    assertThat(p.pinnedServer(CLIENT)).isNull();
  }

  @Test
  void theCountdownStartsWhenTheLastConnectionCloses() {
    Persistence p = clientIp(5.0, null, null);
    Hold first = p.holdWhileConnected(CLIENT);
    Hold second = p.holdWhileConnected(CLIENT);
    p.remember(CLIENT, "10.0.0.1:80");

    runFor(60 * MINUTE, p);
    assertThat(p.pinnedServer(CLIENT)).as("held by two connections").isEqualTo("10.0.0.1:80");

    first.release();
    runFor(60 * MINUTE, p);
    assertThat(p.pinnedServer(CLIENT)).as("held by the second connection").isEqualTo("10.0.0.1:80");

    second.release();
    long closedAt = now.get();
    runFor(5 * MINUTE - 1_000, p);
    assertThat(p.pinnedServer(CLIENT)).isEqualTo("10.0.0.1:80");
    now.set(closedAt + 5 * MINUTE);
    assertThat(p.pinnedServer(CLIENT)).isNull();
  }

  @Test
  void releasingAHoldTwiceCountsOnce() {
    Persistence p = clientIp(1.0, null, null);
    Hold first = p.holdWhileConnected(CLIENT);
    Hold second = p.holdWhileConnected(CLIENT);
    p.remember(CLIENT, "10.0.0.1:80");
    first.release();
    first.release();
    runFor(10 * MINUTE, p);
    assertThat(p.pinnedServer(CLIENT)).isEqualTo("10.0.0.1:80");
    second.release();
  }

  @Test
  void aNewConnectionRescuesAnEntryCloseToExpiry() {
    Persistence p = clientIp(1.0, null, null);
    p.remember(CLIENT, "10.0.0.1:80");
    now.addAndGet(MINUTE - 1);
    Hold hold = p.holdWhileConnected(CLIENT);
    now.addAndGet(1_000); // before the next tick
    assertThat(p.pinnedServer(CLIENT)).isEqualTo("10.0.0.1:80");
    hold.release();
  }

  @Test
  void keepingHeldEntriesAliveWorksOncePerKeepInterval() {
    Persistence p = clientIp(10.0, null, null);
    RecordingListener listener = new RecordingListener();
    registry.table("persistence/sticky/web").addListener(listener);
    Hold hold = p.holdWhileConnected(CLIENT);
    p.remember(CLIENT, "10.0.0.1:80");
    listener.events.clear();
    long start = now.addAndGet(5_000);
    runFor(30_000, p); // ticks at 5..34 s: one keep at 5 s
    runFor(1_000, p); // tick at 35 s: the next keep
    String upsert = "upsert persistence/sticky/web 192.0.2.10=10.0.0.1:80@";
    assertThat(listener.events)
        .containsExactly(upsert + (start + 10 * MINUTE), upsert + (start + 30_000 + 10 * MINUTE));
    hold.release();
  }

  @Test
  void prefixLengthsGroupClients() {
    Persistence p = clientIp(5.0, 24, 64);
    p.remember(fromClient("198.51.100.7"), "10.0.0.1:80");
    assertThat(p.pinnedServer(fromClient("198.51.100.200"))).isEqualTo("10.0.0.1:80");
    assertThat(p.pinnedServer(fromClient("198.51.101.7"))).isNull();

    p.remember(fromClient("2001:db8:1:2::1"), "10.0.0.2:80");
    assertThat(p.pinnedServer(fromClient("2001:db8:1:2:ffff::9"))).isEqualTo("10.0.0.2:80");
    assertThat(p.pinnedServer(fromClient("2001:db8:1:3::1"))).isNull();
    assertThat(registry.table("persistence/sticky/web").lookup("2001:db8:1:2::")).isNotNull();
    assertThat(registry.table("persistence/sticky/web").lookup("198.51.100.0")).isNotNull();
  }

  @Test
  void byDefaultEachAddressIsItsOwnKey() {
    Persistence p = clientIp(5.0, null, null);
    p.remember(fromClient("198.51.100.7"), "10.0.0.1:80");
    assertThat(p.pinnedServer(fromClient("198.51.100.8"))).isNull();
  }

  @Test
  void aZeroTimeoutDisablesPersistence() {
    Persistence p = clientIp(0.0, null, null);
    p.remember(CLIENT, "10.0.0.1:80");
    assertThat(p.pinnedServer(CLIENT)).isNull();
    assertThat(p.holdWhileConnected(CLIENT)).isSameAs(Hold.NONE);
    p.tick();
    assertThat(registry.sizes()).containsEntry("persistence/sticky/web", 0);
  }

  @Test
  void anUnresolvedClientAddressIsNeverPinned() {
    Persistence p = clientIp(5.0, null, null);
    ClientRequest unresolved =
        new ClientRequest(InetSocketAddress.createUnresolved("client.example", 1), CLIENT.head());
    p.remember(unresolved, "10.0.0.1:80");
    assertThat(p.pinnedServer(unresolved)).isNull();
    assertThat(p.holdWhileConnected(unresolved)).isSameAs(Hold.NONE);
  }

  @Test
  void pinsAndHoldsSurviveAReload() {
    Persistence before = clientIp(5.0, null, null);
    Hold hold = before.holdWhileConnected(CLIENT);
    before.remember(CLIENT, "10.0.0.1:80");

    Persistence after = clientIp(5.0, null, null); // the reload: only the new one is ticked
    runFor(60 * MINUTE, after);
    assertThat(after.pinnedServer(CLIENT)).isEqualTo("10.0.0.1:80");

    hold.release();
    now.addAndGet(5 * MINUTE);
    assertThat(after.pinnedServer(CLIENT)).isNull();
  }
}
