package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.upstream.Pool;
import dev.limpet.dataplane.upstream.PoolCatalog;
import dev.limpet.dataplane.upstream.Server;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open tunnels (upgraded connections, WebSockets) and long-lived streams (exchanges whose
 * request or response streams to or from an HTTP/2 server: gRPC client, server and bidirectional
 * streams), each with the pool and server it leads to. One that leads to a server that drains, is
 * disabled or leaves its pool gets the pool's {@code tunnelDrainSeconds} (a disabled server none)
 * and is then closed both ways; a server back in service before that keeps them. One to a server in
 * service is never touched: a configuration reload neither moves nor cuts it.
 */
public final class Tunnels {
  private static final Logger LOG = LoggerFactory.getLogger(Tunnels.class);

  private final Set<Tunnel> open = ConcurrentHashMap.newKeySet();
  private final Supplier<PoolCatalog> pools;
  private final ProxyContext context;

  Tunnels(ProxyContext context, Supplier<PoolCatalog> pools) {
    this.context = context;
    this.pools = pools;
  }

  /**
   * {@code client} and {@code upstream} now form a tunnel to {@code server} of {@code pool}. It is
   * held against the pools at once: a persisted client may open one to a server already draining.
   */
  void opened(Channel client, Channel upstream, Pool pool, Server server) {
    Tunnel t = hold("tunnel", client, upstream, pool, server);
    client.closeFuture().addListener(f -> forget(t));
  }

  /**
   * {@code stream}, an HTTP/2 stream to {@code server}, now streams its request from or its
   * response to {@code client} (a connection, or a client's stream): a gRPC client, server or
   * bidirectional stream, whether or not the server answered yet. Held until the stream closes,
   * which is when its exchange ends: the client connection outlives it, so its close is not watched
   * here.
   */
  void streamOpened(Channel client, Channel stream, Pool pool, Server server) {
    hold("stream", client, stream, pool, server);
  }

  private Tunnel hold(String kind, Channel client, Channel upstream, Pool pool, Server server) {
    Tunnel t =
        new Tunnel(
            kind, client, upstream, pool.name(), server.key(), pool.config().tunnelDrainSeconds());
    open.add(t);
    upstream.closeFuture().addListener(f -> forget(t));
    client.eventLoop().execute(t::reconsider);
    return t;
  }

  /**
   * The pools changed (a configuration was applied): each tunnel is held against them. Runs after
   * the new configuration is the current one.
   */
  public void poolsChanged() {
    for (Tunnel t : open) t.client.eventLoop().execute(t::reconsider);
  }

  /** How many tunnels are open now. */
  public int size() {
    return open.size();
  }

  private void forget(Tunnel t) {
    if (!open.remove(t)) return;
    t.client.eventLoop().execute(t::cancel);
  }

  /** One tunnel; its fields other than the channels change on the client's event loop only. */
  private final class Tunnel {
    final String kind;
    final Channel client;
    final Channel upstream;
    final String pool;
    final String serverKey;
    long drainSeconds;
    ScheduledFuture<?> ending;

    Tunnel(
        String kind,
        Channel client,
        Channel upstream,
        String pool,
        String serverKey,
        long drainSeconds) {
      this.kind = kind;
      this.client = client;
      this.upstream = upstream;
      this.pool = pool;
      this.serverKey = serverKey;
      this.drainSeconds = drainSeconds;
    }

    /** Schedules or cancels the end of this tunnel by what its server is in the current pools. */
    void reconsider() {
      if (!open.contains(this)) return;
      Pool p = pools.get().pool(pool);
      if (p != null) drainSeconds = p.config().tunnelDrainSeconds();
      Server s = p == null ? null : p.server(serverKey);
      String why =
          s == null
              ? "left pool " + pool
              : !s.enabled() ? "is disabled" : s.draining() ? "drains" : null;
      if (why == null) {
        cancel();
        return;
      }
      if (ending != null) return; // the first deadline holds: a reload does not extend it
      long seconds = s != null && !s.enabled() ? 0 : drainSeconds;
      ending = client.eventLoop().schedule(() -> end(why, seconds), seconds, TimeUnit.SECONDS);
    }

    void cancel() {
      if (ending != null) ending.cancel(false);
      ending = null;
    }

    private void end(String why, long seconds) {
      if (!open.remove(this)) return;
      LOG.info(
          "{} from {} to server {} closed: the server {} and its {}s of tunnel drain passed",
          kind,
          client.remoteAddress(),
          serverKey,
          why,
          seconds);
      context.metrics.tunnelDrained(pool);
      closeAfterWrites(client);
      closeAfterWrites(upstream);
    }
  }

  /**
   * Closes a connection after what was written to it goes out, with a FIN; an HTTP/2 stream at
   * once, with a RST_STREAM (it takes frames, not bytes, and its connection serves others).
   */
  private static void closeAfterWrites(Channel channel) {
    if (channel instanceof Http2StreamChannel) channel.close();
    else channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }
}
