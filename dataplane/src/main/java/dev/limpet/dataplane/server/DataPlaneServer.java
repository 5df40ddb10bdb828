package dev.limpet.dataplane.server;

import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import dev.limpet.dataplane.proxy.FrontendHandler;
import dev.limpet.dataplane.proxy.ProxyContext;
import dev.limpet.dataplane.runtime.ConfigHolder;
import dev.limpet.dataplane.runtime.PortRoutes;
import dev.limpet.dataplane.runtime.RuntimeConfig;
import dev.limpet.dataplane.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening sockets: one per port of the configuration, opened and closed as configurations
 * change. Connections already accepted keep running when their listener closes.
 */
public final class DataPlaneServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DataPlaneServer.class);
  private static final String WILDCARD = "0.0.0.0";

  private final Transport transport;

  /**
   * The event loops of every listener and connection: a listener accepts on one of them, as HAProxy
   * and nginx accept on their workers. A separate acceptor thread handed each new connection to a
   * worker through its task queue and an eventfd write (a wake-up), about 3% of the CPU of a
   * connection-per-request load; with one thread a connection now stays on the loop that accepted
   * it.
   */
  private final EventLoopGroup workers;

  private final ConfigHolder config;
  private final DataPlaneMetrics metrics;
  private final ProxyContext context;
  private final Map<Integer, Bound> listeners = new HashMap<>();
  private volatile String wildcardAddress = WILDCARD;

  /** Every accepted client connection, so that a drain can reach the idle ones. */
  private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

  private record Bound(InetSocketAddress address, Channel channel) {}

  public DataPlaneServer(
      Transport transport, int threads, ConfigHolder config, DataPlaneMetrics metrics) {
    this.transport = transport;
    this.workers = transport.newGroup(threads);
    this.config = config;
    this.metrics = metrics;
    this.context = new ProxyContext(config, transport, metrics);
  }

  /**
   * Listeners configured on {@code 0.0.0.0} (the default) bind {@code address} instead: several
   * replicas can then share one host, each on its own address, as pods do on their own IPs.
   */
  public void bindWildcardTo(String address) {
    this.wildcardAddress = address;
  }

  public Transport transport() {
    return transport;
  }

  public EventLoopGroup workers() {
    return workers;
  }

  /**
   * Opens the listeners {@code next} needs that are not open yet. Throws, having closed what it
   * opened, when one cannot be bound: the configuration is then refused.
   */
  public synchronized void openListeners(RuntimeConfig next) throws BindFailedException {
    List<Integer> opened = new ArrayList<>();
    for (Map.Entry<Integer, PortRoutes> entry : next.routesByPort().entrySet()) {
      int port = entry.getKey();
      String configured = entry.getValue().services().get(0).config().address();
      InetSocketAddress address =
          new InetSocketAddress(WILDCARD.equals(configured) ? wildcardAddress : configured, port);
      Bound bound = listeners.get(port);
      if (bound != null && bound.address().equals(address)) continue;
      if (bound != null) closeListener(port);
      try {
        listeners.put(port, new Bound(address, bind(address, port)));
        opened.add(port);
      } catch (Exception e) {
        opened.forEach(this::closeListener);
        throw new BindFailedException("cannot listen on " + address + ": " + e.getMessage(), e);
      }
    }
  }

  /** What {@code avi.vs.se_count} reports: the replicas that serve now. */
  /**
   * A configuration was applied: tunnels whose server drains or left its pool get their drain time.
   */
  public void poolsChanged() {
    context.tunnels().poolsChanged();
  }

  public void countReplicas(java.util.function.IntSupplier replicas) {
    context.countReplicas(replicas);
  }

  /** Closes the listeners that {@code current} no longer has. */
  public synchronized void closeUnusedListeners(RuntimeConfig current) {
    for (Integer port : List.copyOf(listeners.keySet())) {
      if (current.routes(port) == null) closeListener(port);
    }
  }

  private Channel bind(InetSocketAddress address, int port) throws InterruptedException {
    ConnectionGuard guard = new ConnectionGuard(port, config, metrics, clients);
    context.listenerOpened(port, guard::open);
    Channel channel =
        new ServerBootstrap()
            .group(workers, workers)
            .channel(transport.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 4096)
            .option(ChannelOption.SO_REUSEADDR, true)
            // TCP_NODELAY is every transport's default for a new socket: setting it again here
            // cost one more setsockopt per accepted connection
            .childOption(ChannelOption.AUTO_READ, false)
            .childHandler(new ProxyChannelInitializer(port, guard, context, config))
            .bind(address)
            .sync()
            .channel();
    LOG.info("listening on {}", address);
    return channel;
  }

  private void closeListener(int port) {
    Bound bound = listeners.remove(port);
    if (bound != null) {
      bound.channel().close().syncUninterruptibly();
      LOG.info("stopped listening on {}", bound.address());
    }
  }

  /**
   * The port a listener actually bound (useful when the configuration asked for port 0 in tests).
   */
  public synchronized InetSocketAddress boundAddress(int port) {
    Bound bound = listeners.get(port);
    return bound == null ? null : (InetSocketAddress) bound.channel().localAddress();
  }

  /**
   * Stops taking connections and lets the open ones end: idle keep-alive connections close now,
   * busy ones after their current response (sent with {@code Connection: close}); returns when none
   * is left or after {@code timeout}, whichever comes first.
   */
  public void drain(Duration timeout) throws InterruptedException {
    synchronized (this) {
      List.copyOf(listeners.keySet()).forEach(this::closeListener);
    }
    context.startDraining();
    for (Channel client : clients) FrontendHandler.drain(client);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!clients.isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
    LOG.info("drained; {} connection(s) still open are closed now", clients.size());
  }

  @Override
  public void close() {
    synchronized (this) {
      List.copyOf(listeners.keySet()).forEach(this::closeListener);
    }
    workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** A listener could not be opened. */
  public static final class BindFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    BindFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
