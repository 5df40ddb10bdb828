package dev.limpet.dataplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.ServerConfig;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ServerTest {
  private final AtomicLong now = new AtomicLong(1_000);

  @Test
  void aReconfiguredServerSharesHealthAndCountersWithItsPredecessor() {
    Server old = new Server(config(1, false), 2, 60_000, now::get);
    old.requestStarted();
    assertThat(old.tryOpenConnection()).isTrue();
    old.setHealthy(false);

    Server next = old.reconfigured(config(5, false), 2, 60_000);

    assertThat(next.ratio()).isEqualTo(5);
    assertThat(next.healthy()).isFalse();
    assertThat(next.activeRequests()).isEqualTo(1);
    assertThat(next.openConnections()).isEqualTo(1);
    // What was in flight on the old object ends there and must free the new one.
    old.requestEnded();
    old.connectionClosed();
    assertThat(next.activeRequests()).isZero();
    assertThat(next.openConnections()).isZero();
    next.setHealthy(true);
    assertThat(old.healthy()).isTrue();
  }

  @Test
  void aServerThatKeepsDrainingKeepsItsDrainStart() {
    Server draining = new Server(config(1, true), 0, 60_000, now::get);
    now.addAndGet(50_000);
    Server stillDraining = draining.reconfigured(config(2, true), 0, 60_000);
    now.addAndGet(10_000);

    assertThat(stillDraining.acceptsPersistedClients()).isFalse();
  }

  @Test
  void aServerThatStartsDrainingStartsItsDrainPeriodNow() {
    Server serving = new Server(config(1, false), 0, 60_000, now::get);
    now.addAndGet(50_000);
    Server draining = serving.reconfigured(config(1, true), 0, 60_000);
    now.addAndGet(10_000);

    assertThat(draining.acceptsPersistedClients()).isTrue();
    assertThat(draining.acceptsNewClients()).isFalse();
    now.addAndGet(50_000);
    assertThat(draining.acceptsPersistedClients()).isFalse();
  }

  private static ServerConfig config(int ratio, boolean draining) {
    return new ServerConfig("web-1", "10.0.0.1", 8080, ratio, true, draining, null);
  }
}
