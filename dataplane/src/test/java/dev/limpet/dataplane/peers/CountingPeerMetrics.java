package dev.limpet.dataplane.peers;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counts what replication reports, for assertions. */
final class CountingPeerMetrics implements PeerMetrics {
  final AtomicLong connected = new AtomicLong();
  final AtomicLong sent = new AtomicLong();
  final AtomicLong received = new AtomicLong();
  final AtomicLong resyncsReceived = new AtomicLong();
  final AtomicLong resyncsServed = new AtomicLong();
  final AtomicLong replicated = new AtomicLong();
  final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();

  long refusals(String reason) {
    AtomicLong n = refused.get(reason);
    return n == null ? 0 : n.get();
  }

  @Override
  public void peersConnected(int delta) {
    connected.addAndGet(delta);
  }

  @Override
  public void updatesSent(int count) {
    sent.addAndGet(count);
  }

  @Override
  public void updatesReceived(int count) {
    received.addAndGet(count);
  }

  @Override
  public void resyncReceived(long nanos, long entries) {
    resyncsReceived.incrementAndGet();
  }

  @Override
  public void resyncServed() {
    resyncsServed.incrementAndGet();
  }

  @Override
  public void replicated(long nanos) {
    replicated.incrementAndGet();
  }

  @Override
  public void refused(String reason) {
    refused.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
  }
}
