package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.server.Transport;
import dev.limpet.dataplane.upstream.Server;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Idle keep-alive connections to servers, one pool per event loop, so that a client channel and its
 * upstream channel always share a thread and the pool needs no locks.
 */
final class UpstreamConnectionPool {
  static final String CODEC = "httpCodec";

  /** Idle connections kept per server and event loop; more are closed when released. */
  private static final int MAX_IDLE_PER_SERVER = 512;

  /** A connection parked longer than this is closed by the loop's sweep. */
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);

  private static final long SWEEP_SECONDS = 10;

  /** The parked connections of the current event loop. */
  private static final FastThreadLocal<Parked> IDLE =
      new FastThreadLocal<>() {
        @Override
        protected Parked initialValue() {
          return new Parked();
        }
      };

  /** One event loop's parked connections by server key, swept every few seconds. */
  private static final class Parked {
    final Map<String, ArrayDeque<Channel>> byServer = new HashMap<>();
    private boolean sweeping;

    /** The parked connections, with the sweep started on first use. */
    static Map<String, ArrayDeque<Channel>> of(EventLoop loop) {
      Parked parked = IDLE.get();
      if (!parked.sweeping) {
        parked.sweeping = true;
        loop.scheduleWithFixedDelay(parked::sweep, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
      }
      return parked.byServer;
    }

    /** Closes the connections parked for longer than the idle limit. */
    private void sweep() {
      long oldest = System.nanoTime() - IDLE_NANOS;
      for (ArrayDeque<Channel> idle : byServer.values()) {
        for (Channel channel : List.copyOf(idle)) {
          if (UpstreamHandler.of(channel).parkedAtNanos() < oldest) channel.close();
        }
      }
    }
  }

  private final Transport transport;

  UpstreamConnectionPool(Transport transport) {
    this.transport = transport;
  }

  /**
   * An open connection to {@code server} on {@code loop}: an idle one, or a new one. Call on {@code
   * loop}.
   */
  Future<Channel> acquire(Server server, EventLoop loop, int connectTimeoutMs) {
    ArrayDeque<Channel> idle = Parked.of(loop).get(server.key());
    while (idle != null && !idle.isEmpty()) {
      Channel channel = idle.pollLast();
      if (channel.isActive()) return loop.newSucceededFuture(channel);
    }
    if (!server.tryOpenConnection())
      return loop.newFailedFuture(new ConnectionLimitException(server));
    ChannelFuture connect =
        new Bootstrap()
            .group(loop)
            .channel(transport.clientChannel())
            .option(ChannelOption.AUTO_READ, false)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(CODEC, new HttpClientCodec(4096, 64 * 1024, 16 * 1024))
                        .addLast(UpstreamHandler.NAME, new UpstreamHandler());
                  }
                })
            .connect(server.address());
    Promise<Channel> connected = loop.newPromise();
    connect.addListener(
        (ChannelFutureListener)
            f -> {
              if (f.isSuccess()) connected.setSuccess(f.channel());
              else connected.setFailure(f.cause());
            });
    Channel channel = connect.channel();
    channel
        .closeFuture()
        .addListener(
            f -> {
              server.connectionClosed();
              ArrayDeque<Channel> parked = IDLE.get().byServer.get(server.key());
              if (parked != null) parked.remove(channel);
            });
    return connected;
  }

  /** Returns a connection whose exchange completed cleanly; call on its event loop. */
  void release(Server server, Channel channel) {
    if (!channel.isActive()) return;
    ArrayDeque<Channel> idle =
        Parked.of(channel.eventLoop()).computeIfAbsent(server.key(), k -> new ArrayDeque<>());
    if (idle.size() >= MAX_IDLE_PER_SERVER) {
      channel.close();
      return;
    }
    UpstreamHandler.of(channel).park(channel);
    idle.addLast(channel);
  }

  /** The server is at its per-server connection limit and has no idle connection here. */
  static final class ConnectionLimitException extends Exception {
    private static final long serialVersionUID = 1L;

    ConnectionLimitException(Server server) {
      super("server " + server.key() + " is at its connection limit", null, false, false);
    }
  }
}
