package dev.limpet.dataplane.peers;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link PeerMetrics} as Prometheus meters ({@code limpet_peer*}). */
public final class MicrometerPeerMetrics implements PeerMetrics {
  private final MeterRegistry registry;
  private final AtomicInteger connected = new AtomicInteger();
  private final Counter sent;
  private final Counter received;
  private final Counter resyncsReceived;
  private final Counter resyncsServed;
  private final Timer resyncDuration;
  private final Timer lag;

  public MicrometerPeerMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("limpet_peers_connected", connected, AtomicInteger::get)
        .description("Peers whose changes this replica receives now")
        .register(registry);
    sent =
        Counter.builder("limpet_peer_updates_sent")
            .description("Changes sent to peers (a change sent to two peers counts twice)")
            .register(registry);
    received =
        Counter.builder("limpet_peer_updates_received")
            .description("Changes received from peers, full resyncs not included")
            .register(registry);
    resyncsReceived = resyncs("received");
    resyncsServed = resyncs("served");
    resyncDuration =
        Timer.builder("limpet_peer_resync_duration")
            .description("Time to receive a full resync from a peer")
            .register(registry);
    lag =
        Timer.builder("limpet_peer_replication_lag")
            .description("From a local change to its acknowledgement by a peer")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(100_000))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
  }

  private Counter resyncs(String direction) {
    return Counter.builder("limpet_peer_resyncs")
        .description("Full resyncs received from or served to peers")
        .tag("direction", direction)
        .register(registry);
  }

  @Override
  public void peersConnected(int delta) {
    connected.addAndGet(delta);
  }

  @Override
  public void updatesSent(int count) {
    sent.increment(count);
  }

  @Override
  public void updatesReceived(int count) {
    received.increment(count);
  }

  @Override
  public void resyncReceived(long nanos, long entries) {
    resyncsReceived.increment();
    resyncDuration.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void resyncServed() {
    resyncsServed.increment();
  }

  @Override
  public void replicated(long nanos) {
    lag.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void refused(String reason) {
    Counter.builder("limpet_peer_refused_connections")
        .description("Peer connections refused: auth, version, protocol, timeout")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }
}
