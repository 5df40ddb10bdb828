package dev.limpet.dataplane.peers;

import dev.limpet.dataplane.peers.PeerMessage.Hello;
import dev.limpet.dataplane.peers.PeerMessage.Proof;
import dev.limpet.dataplane.peers.PeerMessage.Refuse;
import dev.limpet.dataplane.peers.PeerMessage.Welcome;
import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connecting side's handshake: HELLO → WELCOME → PROOF. Our proof goes out before we check the
 * publisher's, so that a publisher with another secret can log the mismatch too. A publisher that
 * turns out to be this very replica (its own address came back from discovery) is left alone.
 */
final class SubscriberHandshake extends FrameHandler {
  private static final Logger LOG = LoggerFactory.getLogger(SubscriberHandshake.class);

  /** What became of the handshake. */
  interface Outcome {
    /** Authenticated; the handler should now replace this one. */
    void established(ChannelHandlerContext ctx, Replica peer, boolean peerReady);

    /** The address is this replica's own. */
    void self();

    /** The peer refused this replica, or failed the handshake, for {@code why}. */
    void refused(String why);
  }

  private final Replica self;
  private final PeerAuth auth;
  private final PeerMetrics metrics;
  private final Outcome outcome;
  private final byte[] nonce = PeerAuth.nonce();

  SubscriberHandshake(Replica self, PeerAuth auth, PeerMetrics metrics, Outcome outcome) {
    this.self = self;
    this.auth = auth;
    this.metrics = metrics;
    this.outcome = outcome;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(
        Wire.encode(
            ctx.alloc(),
            new Hello(Wire.MIN_VERSION, Wire.MAX_VERSION, self.id(), self.incarnation(), nonce)));
    ctx.fireChannelActive();
  }

  @Override
  void malformed(ChannelHandlerContext ctx, String detail) {
    fail(ctx, "protocol", "malformed answer: " + detail);
  }

  @Override
  void handle(ChannelHandlerContext ctx, PeerMessage message) {
    if (message instanceof Refuse) {
      // a peer tells an unauthenticated replica no reason; its own log has it
      String why =
          "refused this replica's handshake (no common protocol version, or not the same peer"
              + " secret): see that replica's log";
      LOG.warn("peer {} {}", ctx.channel().remoteAddress(), why);
      outcome.refused(why);
      ctx.close();
      return;
    }
    if (!(message instanceof Welcome w)) {
      fail(ctx, "protocol", "expected WELCOME");
      return;
    }
    if (w.version() < Wire.MIN_VERSION || w.version() > Wire.MAX_VERSION) {
      fail(ctx, "version", "the peer chose protocol version " + w.version());
      return;
    }
    if (w.incarnation() == self.incarnation()) {
      outcome.self(); // first: closing reports the connection's end
      ctx.close();
      return;
    }
    ctx.writeAndFlush(
        Wire.encode(
            ctx.alloc(),
            new Proof(
                auth.proof(
                    PeerAuth.Role.SUBSCRIBER,
                    nonce,
                    w.nonce(),
                    self.incarnation(),
                    w.incarnation()))));
    byte[] expected =
        auth.proof(PeerAuth.Role.PUBLISHER, nonce, w.nonce(), self.incarnation(), w.incarnation());
    if (!PeerAuth.matches(expected, w.proof())) {
      fail(ctx, "auth", "replica " + w.replicaId() + " failed authentication (wrong peer secret)");
      return;
    }
    outcome.established(ctx, new Replica(w.replicaId(), w.incarnation()), w.ready());
  }

  private void fail(ChannelHandlerContext ctx, String reason, String detail) {
    LOG.warn("peer {}: {}", ctx.channel().remoteAddress(), detail);
    metrics.refused(reason);
    outcome.refused(detail);
    ctx.close();
  }
}
