package dev.limpet.dataplane.peers;

import dev.limpet.dataplane.persistence.TableRegistry;
import dev.limpet.dataplane.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicates every table of a {@link TableRegistry} with the other replicas: publishes this
 * replica's changes to each peer that subscribes, and subscribes to each peer that discovery finds.
 * All links run on one thread of their own, so replication never competes with request handling for
 * an event loop; table writes from request threads only take a number in the {@link ChangeLog}.
 */
public final class PeerService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PeerService.class);

  private final PeerContext peers;

  /** Refused connections on this replica's peer port, logged at most once a minute per address. */
  private final RefusalLog refusals = new RefusalLog(PublisherHandshake.LOG, System::nanoTime);

  private final EventLoopGroup group;
  private final Channel server;
  private final JoinCoordinator join;
  private final Map<InetSocketAddress, Subscription> subscriptions = new HashMap<>();
  private final Set<Publication> publications = new java.util.LinkedHashSet<>();
  private final AtomicBoolean pumpScheduled = new AtomicBoolean();
  private volatile String joinedHow;

  /** Replicas linked now, this one included; refreshed every second on the peers' loop. */
  private volatile int replicas = 1;

  private volatile boolean closed;

  private PeerService(
      PeerSettings settings, TableRegistry tables, PeerMetrics metrics, Transport transport)
      throws InterruptedException {
    this.group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("peers"), transport.ioHandlerFactory());
    EventLoop loop = group.next();
    Replica self = Replica.start(settings.replicaId());
    ChangeLog log = new ChangeLog(settings.resumeChanges(), this::changesLogged);
    this.peers =
        new PeerContext(
            self,
            settings,
            new PeerAuth(settings.secret()),
            tables,
            log,
            new Positions(),
            new ValueInterner(),
            metrics,
            transport,
            loop);
    this.join = new JoinCoordinator(this::joined);
    try {
      this.server = bind(settings, transport);
    } catch (RuntimeException | InterruptedException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    tables.addListener(log);
  }

  /**
   * Binds the peer port, starts discovery and the first full resync.
   *
   * @throws io.netty.channel.ChannelException when the peer port cannot be bound
   */
  public static PeerService start(PeerSettings settings, TableRegistry tables, PeerMetrics metrics)
      throws InterruptedException {
    return start(settings, tables, metrics, Transport.best());
  }

  /**
   * Binds the peer port, starts discovery and the first full resync, on {@code transport}.
   *
   * @throws io.netty.channel.ChannelException when the peer port cannot be bound
   */
  public static PeerService start(
      PeerSettings settings, TableRegistry tables, PeerMetrics metrics, Transport transport)
      throws InterruptedException {
    PeerService service = new PeerService(settings, tables, metrics, transport);
    service.run();
    return service;
  }

  private Channel bind(PeerSettings settings, Transport transport) throws InterruptedException {
    return new ServerBootstrap()
        .group(group)
        .channel(transport.serverChannel())
        .childHandler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                PeerPipeline.init(
                    ch.pipeline(),
                    Wire.MAX_CONTROL_FRAME_BYTES,
                    settings.timing(),
                    new PublisherHandshake(
                        refusals,
                        peers.self(),
                        peers.auth(),
                        join::joined,
                        peers.metrics(),
                        settings.timing().deadAfter(),
                        subscriber -> new Publication(peers, subscriber, publications)));
              }
            })
        .bind(settings.listen())
        .sync()
        .channel();
  }

  private void run() {
    PeerSettings settings = peers.settings();
    LOG.info(
        "replica {} replicates tables on {} with peers from {}",
        settings.replicaId(),
        listenAddress(),
        settings.discovery().describe());
    long resolveMillis = settings.timing().resolveInterval().toMillis();
    peers.loop().scheduleWithFixedDelay(this::discover, 0, resolveMillis, TimeUnit.MILLISECONDS);
    peers.loop().scheduleWithFixedDelay(this::countReplicas, 0, 1, TimeUnit.SECONDS);
    peers
        .loop()
        .schedule(
            () ->
                join.timeout(
                    "no full resync within the sync timeout of "
                        + settings.syncTimeout().toMillis()
                        + " ms"),
            settings.syncTimeout().toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /**
   * True once this replica has its first full resync from a peer, or found no peer, or waited the
   * sync timeout: only then may it report ready.
   */
  public boolean ready() {
    return join.joined();
  }

  /**
   * Why tables are not shared with some peers, when they are not: the peers whose latest answer
   * refused this replica's link (a wrong secret, no common protocol version).
   */
  public Optional<String> problem() {
    Map<InetSocketAddress, String> refusals = join.refusals();
    if (refusals.isEmpty()) return Optional.empty();
    StringJoiner peers = new StringJoiner(", ");
    refusals.forEach((address, why) -> peers.add(hostPort(address) + " (" + why + ")"));
    return Optional.of("no tables are shared with peers that refuse the link: " + peers);
  }

  private static String hostPort(InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  /**
   * How many replicas serve now ({@code avi.vs.se_count}): this one and each other replica it is
   * linked to, as of the last second.
   */
  public int replicaCount() {
    return replicas;
  }

  private void countReplicas() {
    int linked = 0;
    for (Subscription s : subscriptions.values()) if (s.linked()) linked++;
    replicas = 1 + linked;
  }

  /** Where peers connect to this replica. */
  public InetSocketAddress listenAddress() {
    return (InetSocketAddress) server.localAddress();
  }

  /** The replication state, for the admin view. */
  public Map<String, Object> view() {
    try {
      return peers.loop().submit(this::viewOnLoop).get(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of("error", "interrupted");
    } catch (ExecutionException | TimeoutException e) {
      return Map.of("error", String.valueOf(e));
    }
  }

  private Map<String, Object> viewOnLoop() {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("replica", peers.self().id());
    view.put("listen", String.valueOf(listenAddress()));
    view.put("discovery", peers.settings().discovery().describe());
    view.put("ready", ready());
    view.put("joined", joinedHow);
    Map<String, String> refusedBy = new LinkedHashMap<>();
    join.refusals().forEach((address, why) -> refusedBy.put(hostPort(address), why));
    view.put("refusedBy", refusedBy);
    view.put("changesLogged", peers.log().head());
    List<Map<String, Object>> from = new ArrayList<>();
    subscriptions.values().forEach(s -> from.add(s.view()));
    view.put("receivingFrom", from);
    List<Map<String, Object>> to = new ArrayList<>();
    publications.forEach(p -> to.add(p.view()));
    view.put("sendingTo", to);
    return view;
  }

  private void joined(String how) {
    joinedHow = how;
    Optional<String> problem = problem();
    if (problem.isPresent())
      LOG.error("replica {} is ready ({}), but {}", peers.self().id(), how, problem.get());
    else LOG.info("replica {} is ready: {}", peers.self().id(), how);
  }

  /** Called by any thread after a table change was logged: pumps on the replication thread. */
  private void changesLogged() {
    if (!pumpScheduled.get() && pumpScheduled.compareAndSet(false, true) && !closed)
      peers.loop().execute(this::pumpAll);
  }

  private void pumpAll() {
    pumpScheduled.set(false);
    publications.forEach(Publication::pump);
  }

  private void discover() {
    peers
        .settings()
        .discovery()
        .resolve()
        .whenComplete(
            (addresses, failure) -> {
              if (!closed) peers.loop().execute(() -> discovered(addresses, failure));
            });
  }

  private void discovered(Set<InetSocketAddress> addresses, Throwable failure) {
    if (closed) return;
    if (failure != null) {
      LOG.warn("peer discovery ({}) failed: {}", peers.settings().discovery().describe(), failure);
      return;
    }
    subscriptions.entrySet().removeIf(e -> !addresses.contains(e.getKey()) && gone(e.getValue()));
    for (InetSocketAddress address : addresses) {
      if (address.isUnresolved() || subscriptions.containsKey(address)) continue;
      Subscription subscription = new Subscription(address, peers, join);
      subscriptions.put(address, subscription);
      subscription.start();
    }
    join.expect(addresses);
  }

  private boolean gone(Subscription subscription) {
    LOG.info("peer {} left discovery", subscription.address());
    subscription.close();
    join.forget(subscription.address());
    return true;
  }

  @Override
  public void close() {
    closed = true;
    peers.tables().removeListener(peers.log());
    try {
      peers.loop().submit(() -> subscriptions.values().forEach(Subscription::close)).sync();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    peers.settings().discovery().close();
  }
}
