package dev.limpet.dataplane.peers;

import dev.limpet.dataplane.peers.PeerMessage.Hello;
import dev.limpet.dataplane.peers.PeerMessage.Proof;
import dev.limpet.dataplane.peers.PeerMessage.Refuse;
import dev.limpet.dataplane.peers.PeerMessage.Welcome;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accepting side's handshake: HELLO → WELCOME (with our proof) → PROOF. A connection that is
 * not a Limpet peer, speaks no common version, proves the wrong secret or takes too long is
 * refused, counted and logged; an authenticated one gets a {@link Publication}.
 */
final class PublisherHandshake extends FrameHandler {
  static final Logger LOG = LoggerFactory.getLogger(PublisherHandshake.class);

  /** All a refused connection is told. */
  static final String REFUSED = "refused";

  private final RefusalLog refusals;
  private final Replica self;
  private final PeerAuth auth;
  private final BooleanSupplier ready;
  private final PeerMetrics metrics;
  private final Duration deadline;
  private final Function<Replica, ChannelHandler> publications;
  private Hello hello;
  private byte[] nonce;
  private ScheduledFuture<?> timeout;

  PublisherHandshake(
      RefusalLog refusals,
      Replica self,
      PeerAuth auth,
      BooleanSupplier ready,
      PeerMetrics metrics,
      Duration deadline,
      Function<Replica, ChannelHandler> publications) {
    this.refusals = refusals;
    this.self = self;
    this.auth = auth;
    this.ready = ready;
    this.metrics = metrics;
    this.deadline = deadline;
    this.publications = publications;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    timeout =
        ctx.executor()
            .schedule(
                () -> refuse(ctx, "timeout", "no handshake within " + deadline.toMillis() + " ms"),
                deadline.toMillis(),
                TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (timeout != null) timeout.cancel(false);
    ctx.fireChannelInactive();
  }

  @Override
  void malformed(ChannelHandlerContext ctx, String detail) {
    refuse(ctx, "protocol", detail);
  }

  @Override
  void handle(ChannelHandlerContext ctx, PeerMessage message) {
    if (hello == null) {
      if (!(message instanceof Hello h)) {
        refuse(ctx, "protocol", "expected HELLO");
        return;
      }
      int version = Wire.chooseVersion(h.minVersion(), h.maxVersion());
      if (version < 0) {
        hello = h;
        refuse(ctx, "version", versionMismatch(h.minVersion(), h.maxVersion()));
        return;
      }
      if (h.nonce().length != Wire.NONCE_BYTES) {
        refuse(ctx, "protocol", "bad challenge");
        return;
      }
      hello = h;
      nonce = PeerAuth.nonce();
      byte[] proof =
          auth.proof(
              PeerAuth.Role.PUBLISHER, h.nonce(), nonce, h.incarnation(), self.incarnation());
      ctx.writeAndFlush(
          Wire.encode(
              ctx.alloc(),
              new Welcome(
                  version, self.id(), self.incarnation(), ready.getAsBoolean(), nonce, proof)));
      return;
    }
    if (!(message instanceof Proof p)) {
      refuse(ctx, "protocol", "expected PROOF");
      return;
    }
    byte[] expected =
        auth.proof(
            PeerAuth.Role.SUBSCRIBER,
            hello.nonce(),
            nonce,
            hello.incarnation(),
            self.incarnation());
    if (!PeerAuth.matches(expected, p.proof())) {
      refuse(ctx, "auth", "authentication failed (wrong peer secret)");
      return;
    }
    timeout.cancel(false);
    ctx.pipeline()
        .replace(
            this,
            PeerPipeline.LINK,
            publications.apply(new Replica(hello.replicaId(), hello.incarnation())));
  }

  private static String versionMismatch(int peerMin, int peerMax) {
    return "no common protocol version: the peer speaks "
        + peerMin
        + ".."
        + peerMax
        + ", this replica "
        + Wire.MIN_VERSION
        + ".."
        + Wire.MAX_VERSION;
  }

  /**
   * Counts, logs (rate-limited) and closes. The connection has not proved the secret, so it learns
   * nothing but {@link #REFUSED}: not why, not which versions this replica speaks.
   */
  private void refuse(ChannelHandlerContext ctx, String reason, String detail) {
    if (!ctx.channel().isActive()) return;
    refusals.refused(
        ctx.channel().remoteAddress(), hello == null ? "unknown" : hello.replicaId(), detail);
    metrics.refused(reason);
    ctx.writeAndFlush(Wire.encode(ctx.alloc(), new Refuse(REFUSED)))
        .addListener(ChannelFutureListener.CLOSE);
    ctx.channel().config().setAutoRead(false);
  }
}
