package dev.limpet.dataplane.peers;

import io.netty.buffer.ByteBuf;
import java.util.Map;

/** The messages of the replication protocol; {@link Wire} has their layout. */
sealed interface PeerMessage {
  /** Subscriber → publisher, first: who is connecting, which versions it speaks, its challenge. */
  record Hello(int minVersion, int maxVersion, String replicaId, long incarnation, byte[] nonce)
      implements PeerMessage {}

  /**
   * Publisher → subscriber: the chosen version, who answers, whether it has finished its own first
   * resync, its challenge, and its answer to the subscriber's.
   */
  record Welcome(
      int version, String replicaId, long incarnation, boolean ready, byte[] nonce, byte[] proof)
      implements PeerMessage {}

  /** Subscriber → publisher: the answer to the publisher's challenge. */
  record Proof(byte[] proof) implements PeerMessage {}

  /** Either way, just before closing: why the connection is refused. */
  record Refuse(String reason) implements PeerMessage {}

  /**
   * Subscriber → publisher: send your changes after {@code seq} of your incarnation {@code
   * incarnation} ({@code -1}: the subscriber knows nothing of it), or a full resync when you
   * cannot.
   */
  record Subscribe(long incarnation, long seq) implements PeerMessage {}

  /**
   * Publisher → subscriber: a full resync follows; it holds every change of the publisher up to
   * {@code headSeq}, and every change of other incarnations up to their {@code positions}.
   */
  record SnapshotBegin(long headSeq, Map<Long, Long> positions) implements PeerMessage {}

  /** Entries of one table, part of a full resync; read from the frame while it is held. */
  record SnapshotEntries(String table, int count, ByteBuf frame) implements PeerMessage {}

  /** The full resync is complete. */
  record SnapshotEnd(long entries) implements PeerMessage {}

  /** Changes {@code firstSeq} to {@code firstSeq + count - 1}; read from the frame while held. */
  record Updates(long firstSeq, int count, ByteBuf frame) implements PeerMessage {}

  /** Subscriber → publisher: every change up to {@code seq} is applied. */
  record Ack(long seq) implements PeerMessage {}

  /** Either way: still here (sent when nothing else was for a heartbeat interval). */
  record Ping() implements PeerMessage {}
}
