package dev.limpet.dataplane.peers;

/** What replication reports to monitoring. Called from the replication thread. */
public interface PeerMetrics {
  /** A link that receives a peer's changes was established (+1) or lost (-1). */
  void peersConnected(int delta);

  void updatesSent(int count);

  void updatesReceived(int count);

  /** This replica received a full resync of {@code entries} entries in {@code nanos}. */
  void resyncReceived(long nanos, long entries);

  /** This replica sent a full resync to a peer. */
  void resyncServed();

  /** A change of this replica was acknowledged by a peer {@code nanos} after it was made. */
  void replicated(long nanos);

  /**
   * A connection was refused: {@code auth}, {@code version}, {@code protocol} or {@code timeout}.
   */
  void refused(String reason);
}
