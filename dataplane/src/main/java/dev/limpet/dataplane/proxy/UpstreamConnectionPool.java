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
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Idle keep-alive connections to servers, one pool per event loop, so that a client channel and its
 * upstream channel always share a thread and the pool needs no locks.
 */
final class UpstreamConnectionPool {
  /** Idle connections kept per server and event loop; more are closed when released. */
  private static final int MAX_IDLE_PER_SERVER = 512;

  private static final int IDLE_SECONDS = 60;
  private static final FastThreadLocal<Map<String, ArrayDeque<Channel>>> IDLE =
      new FastThreadLocal<>() {
        @Override
        protected Map<String, ArrayDeque<Channel>> initialValue() {
          return new HashMap<>();
        }
      };

  private final Transport transport;

  UpstreamConnectionPool(Transport transport) {
    this.transport = transport;
  }

  /**
   * An open connection to {@code server} on {@code loop}: an idle one, or a new one. Call on {@code
   * loop}.
   */
  Future<Channel> acquire(Server server, EventLoop loop, int connectTimeoutMs) {
    ArrayDeque<Channel> idle = IDLE.get().get(server.key());
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
                        .addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
                        .addLast("httpCodec", new HttpClientCodec(4096, 64 * 1024, 16 * 1024))
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
              ArrayDeque<Channel> parked = IDLE.get().get(server.key());
              if (parked != null) parked.remove(channel);
            });
    return connected;
  }

  /** Returns a connection whose exchange completed cleanly; call on its event loop. */
  void release(Server server, Channel channel) {
    if (!channel.isActive()) return;
    ArrayDeque<Channel> idle = IDLE.get().computeIfAbsent(server.key(), k -> new ArrayDeque<>());
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
