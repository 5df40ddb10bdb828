package dev.limpet.dataplane.peers;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * How this replica takes part in table replication.
 *
 * @param replicaId this replica's name (the pod name in Kubernetes): in logs, the admin view, and
 *     (hashed) in the versions of its writes
 * @param listen where peers connect to this replica
 * @param discovery where the other replicas are
 * @param secret the shared secret every replica has (from a Kubernetes Secret), 16 bytes or more
 * @param syncTimeout how long a starting replica waits for its first full resync before it reports
 *     ready anyway
 * @param timing heartbeats, dead-peer detection, reconnects and re-resolution
 * @param resumeChanges how many of its latest changes a replica keeps so that a peer that
 *     reconnects can resume instead of needing a full resync
 */
public record PeerSettings(
    String replicaId,
    InetSocketAddress listen,
    PeerDiscovery discovery,
    byte[] secret,
    Duration syncTimeout,
    Timing timing,
    int resumeChanges) {

  public static final Duration DEFAULT_SYNC_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_RESUME_CHANGES = 1 << 17;

  /**
   * @param heartbeat a link that sent nothing for this long sends a ping
   * @param deadAfter a link that received nothing for this long is closed
   * @param reconnectMin the first reconnect delay, doubled up to {@code reconnectMax}
   * @param resolveInterval how often discovery is asked again
   */
  public record Timing(
      Duration heartbeat,
      Duration deadAfter,
      Duration reconnectMin,
      Duration reconnectMax,
      Duration resolveInterval) {
    public static final Timing DEFAULT =
        new Timing(
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Duration.ofMillis(100),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5));
  }

  public PeerSettings {
    new PeerAuth(secret); // refuses a short secret now rather than at the first connection
    if (resumeChanges < 1) throw new IllegalArgumentException("resumeChanges must be 1 or more");
  }

  /** Settings with the default timeout, timing and resume window. */
  public static PeerSettings of(
      String replicaId, InetSocketAddress listen, PeerDiscovery discovery, byte[] secret) {
    return new PeerSettings(
        replicaId,
        listen,
        discovery,
        secret,
        DEFAULT_SYNC_TIMEOUT,
        Timing.DEFAULT,
        DEFAULT_RESUME_CHANGES);
  }

  public PeerSettings withSyncTimeout(Duration timeout) {
    return new PeerSettings(replicaId, listen, discovery, secret, timeout, timing, resumeChanges);
  }

  public PeerSettings withTiming(Timing t) {
    return new PeerSettings(replicaId, listen, discovery, secret, syncTimeout, t, resumeChanges);
  }

  public PeerSettings withResumeChanges(int changes) {
    return new PeerSettings(replicaId, listen, discovery, secret, syncTimeout, timing, changes);
  }
}
