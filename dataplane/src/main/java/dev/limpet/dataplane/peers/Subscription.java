package dev.limpet.dataplane.peers;

import dev.limpet.dataplane.peers.PeerMessage.Ack;
import dev.limpet.dataplane.peers.PeerMessage.Refuse;
import dev.limpet.dataplane.peers.PeerMessage.SnapshotBegin;
import dev.limpet.dataplane.peers.PeerMessage.SnapshotEnd;
import dev.limpet.dataplane.peers.PeerMessage.SnapshotEntries;
import dev.limpet.dataplane.peers.PeerMessage.Subscribe;
import dev.limpet.dataplane.peers.PeerMessage.Updates;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the changes of the peer at one address: connects, authenticates, subscribes when the
 * {@link JoinCoordinator} says so, applies full resyncs and batches of changes to the tables,
 * acknowledges them, and reconnects with backoff when the link breaks. Runs on the replication
 * thread.
 */
final class Subscription implements JoinCoordinator.Candidate {
  private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);
  private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

  private enum State {
    CONNECTING,
    CONNECTED,
    RECEIVING,
    BACKOFF,
    SELF,
    CLOSED
  }

  private final InetSocketAddress address;
  private final PeerContext peers;
  private final JoinCoordinator join;
  private final Backoff backoff;
  private State state = State.CONNECTING;
  private Channel channel;
  private Replica peer;
  private boolean peerReady;
  private boolean linked; // authenticated on the current connection
  private String refusal; // why the peer refused the current connection's handshake
  private long applied; // the last change of the peer's incarnation applied here
  private boolean ackDue;
  private ScheduledFuture<?> reconnect;
  private SnapshotBegin resync;
  private long resyncStartNanos;
  private long resyncEntries;
  private long received;
  private int resyncs;

  Subscription(InetSocketAddress address, PeerContext peers, JoinCoordinator join) {
    this.address = address;
    this.peers = peers;
    this.join = join;
    PeerSettings.Timing timing = peers.settings().timing();
    this.backoff = new Backoff(timing.reconnectMin(), timing.reconnectMax());
  }

  @Override
  public InetSocketAddress address() {
    return address;
  }

  /** True while an authenticated link to another replica is up. */
  boolean linked() {
    return linked;
  }

  @Override
  public boolean peerReady() {
    return peerReady;
  }

  void start() {
    state = State.CONNECTING;
    linked = false;
    refusal = null;
    PeerSettings.Timing timing = peers.settings().timing();
    channel =
        new Bootstrap()
            .group(peers.loop())
            .channel(peers.transport().clientChannel())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
            .handler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    PeerPipeline.init(
                        ch.pipeline(),
                        Wire.MAX_FRAME_BYTES,
                        timing,
                        new SubscriberHandshake(
                            peers.self(), peers.auth(), peers.metrics(), new Handshake()));
                  }
                })
            .connect(address)
            .channel();
    channel.closeFuture().addListener(f -> closed());
  }

  @Override
  public void subscribe() {
    if (!linked) return;
    applied = peers.positions().of(peer.incarnation());
    state = State.RECEIVING;
    channel.writeAndFlush(Wire.encode(channel.alloc(), new Subscribe(peer.incarnation(), applied)));
  }

  /** Stops for good (the address left discovery, or the service closes). */
  void close() {
    state = State.CLOSED;
    if (reconnect != null) reconnect.cancel(false);
    if (channel != null) channel.close();
  }

  /** For the admin view. */
  Map<String, Object> view() {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("address", address.getAddress().getHostAddress() + ":" + address.getPort());
    view.put("replica", peer == null ? null : peer.id());
    view.put("state", state.name().toLowerCase(Locale.ROOT));
    view.put("appliedUpTo", applied);
    view.put("updatesReceived", received);
    view.put("fullResyncs", resyncs);
    return view;
  }

  private void closed() {
    if (linked) {
      linked = false;
      peers.metrics().peersConnected(-1);
      join.lost(this);
      LOG.info("lost the link to replica {} at {}", peer.id(), address);
    } else if (state == State.CONNECTING && refusal != null) {
      join.refused(address, refusal);
    } else if (state == State.CONNECTING) {
      join.noPeerAt(address);
    }
    resync = null;
    if (state == State.CLOSED || state == State.SELF) return;
    state = State.BACKOFF;
    reconnect =
        peers.loop().schedule(this::start, backoff.nextDelayMillis(), TimeUnit.MILLISECONDS);
  }

  private void apply(PeerMessage message) {
    if (message instanceof Updates u) {
      if (u.firstSeq() != applied + 1) {
        protocolError("changes from " + u.firstSeq() + " after " + applied);
        return;
      }
      Wire.readChanges(
          u.frame(),
          u.count(),
          peers.values(),
          (table, key, entry) -> peers.tables().table(table).applyRemote(key, entry));
      applied += u.count();
      peers.positions().advance(peer.incarnation(), applied);
      received += u.count();
      peers.metrics().updatesReceived(u.count());
      ackDue = true;
    } else if (message instanceof SnapshotBegin b) {
      resync = b;
      resyncStartNanos = System.nanoTime();
      resyncEntries = 0;
    } else if (message instanceof SnapshotEntries e && resync != null) {
      var table = peers.tables().table(e.table());
      Wire.readEntries(e.frame(), e.count(), peers.values(), table::applyRemote);
      resyncEntries += e.count();
    } else if (message instanceof SnapshotEnd && resync != null) {
      resyncDone();
    } else if (message instanceof Refuse r) {
      LOG.warn("replica {} closes the link: {}", peer.id(), r.reason());
      channel.close();
    } else {
      protocolError("unexpected " + message.getClass().getSimpleName());
    }
  }

  private void resyncDone() {
    long nanos = System.nanoTime() - resyncStartNanos;
    peers.positions().advanceAll(resync.positions());
    peers.positions().advance(peer.incarnation(), resync.headSeq());
    applied = resync.headSeq();
    resync = null;
    resyncs++;
    peers.metrics().resyncReceived(nanos, resyncEntries);
    String how =
        "full resync from replica %s: %d entries in %d ms"
            .formatted(peer.id(), resyncEntries, TimeUnit.NANOSECONDS.toMillis(nanos));
    LOG.info(how);
    join.resynced(this, how);
  }

  private void protocolError(String detail) {
    LOG.warn("replica {} at {}: {}; reconnecting", peer.id(), address, detail);
    channel.close();
  }

  /** What the handshake found. */
  private final class Handshake implements SubscriberHandshake.Outcome {
    @Override
    public void established(ChannelHandlerContext ctx, Replica who, boolean ready) {
      peer = who;
      peerReady = ready;
      linked = true;
      state = State.CONNECTED;
      backoff.reset();
      ctx.pipeline().replace(ctx.handler(), PeerPipeline.LINK, new Link());
      peers.metrics().peersConnected(1);
      LOG.info("linked to replica {} at {}{}", who.id(), address, ready ? "" : " (not ready yet)");
      join.connected(Subscription.this);
    }

    @Override
    public void self() {
      state = State.SELF;
      join.noPeerAt(address);
      LOG.info("{} is this replica's own address", address);
    }

    @Override
    public void refused(String why) {
      refusal = why;
    }
  }

  /** The link after the handshake. */
  private final class Link extends FrameHandler {
    @Override
    void handle(ChannelHandlerContext ctx, PeerMessage message) {
      apply(message);
    }

    @Override
    void malformed(ChannelHandlerContext ctx, String detail) {
      protocolError(detail);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (ackDue) {
        ackDue = false;
        ctx.writeAndFlush(Wire.encode(ctx.alloc(), new Ack(applied)));
      }
      ctx.fireChannelReadComplete();
    }
  }
}
