package dev.limpet.dataplane.proxy;

import dev.limpet.contract.ServerProtocol;
import dev.limpet.dataplane.tls.UpstreamTls;
import dev.limpet.dataplane.transport.Transport;
import dev.limpet.dataplane.upstream.Server;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Connections to servers, one pool per event loop, so that a client channel and its upstream
 * channel always share a thread and the pool needs no locks: idle HTTP/1.1 keep-alive connections
 * here, HTTP/2 ones in {@link MultiplexedConnections}.
 */
final class UpstreamConnectionPool {
  static final String CODEC = "httpCodec";

  /** The idle list a connection returns to: its server, and its TLS context if any. */
  private static final AttributeKey<String> POOL_KEY = AttributeKey.valueOf("limpet.poolKey");

  /** Idle connections kept per server and event loop; more are closed when released. */
  private static final int MAX_IDLE_PER_SERVER = 512;

  /** A connection parked longer than this is closed by the loop's sweep. */
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);

  private static final long SWEEP_SECONDS = 10;

  /** Limits on what a server sends: status line, header block, body parts. */
  private static final HttpDecoderConfig UPSTREAM_DECODER =
      new HttpDecoderConfig()
          .setMaxInitialLineLength(4096)
          .setMaxHeaderSize(64 * 1024)
          .setMaxChunkSize(16 * 1024)
          .setHeadersFactory(SizedHeadersFactory.HEADERS)
          .setTrailersFactory(SizedHeadersFactory.TRAILERS);

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

  private final ServerDialer dialer;
  private final MultiplexedConnections multiplexed;

  UpstreamConnectionPool(Transport transport) {
    this.dialer = new ServerDialer(transport);
    this.multiplexed = new MultiplexedConnections(dialer);
  }

  /**
   * An open connection to {@code server} on {@code loop}, over TLS when {@code tls} is given (then
   * complete once the handshake is): for HTTP/1.1 an idle one or a new one; for HTTP/2 a new stream
   * of a multiplexed connection ({@link MultiplexedConnections}). Call on {@code loop}.
   */
  Future<Channel> acquire(
      Server server,
      UpstreamTls tls,
      ServerProtocol protocol,
      EventLoop loop,
      int connectTimeoutMs) {
    if (protocol == ServerProtocol.Http2)
      return multiplexed.stream(server, tls, loop, connectTimeoutMs);
    String key = ServerDialer.key(server, tls);
    ArrayDeque<Channel> idle = Parked.of(loop).get(key);
    while (idle != null && !idle.isEmpty()) {
      Channel channel = idle.pollLast();
      if (channel.isActive()) return loop.newSucceededFuture(channel);
    }
    ServerDialer.Dial dial =
        dialer.dial(
            server,
            tls,
            false,
            loop,
            connectTimeoutMs,
            ch -> {
              ch.attr(POOL_KEY).set(key);
              ch.pipeline()
                  .addLast(CODEC, new UpstreamCodec(UPSTREAM_DECODER))
                  .addLast(UpstreamHandler.NAME, new UpstreamHandler());
            });
    if (dial.channel() != null)
      dial.channel()
          .closeFuture()
          .addListener(
              f -> {
                ArrayDeque<Channel> parked = IDLE.get().byServer.get(key);
                if (parked != null) parked.remove(dial.channel());
              });
    return dial.ready();
  }

  /** The {@code kind} label of a failed {@link #acquire} for the upstream-errors metric. */
  static String failureKind(Throwable cause) {
    if (cause instanceof ConnectionLimitException) return "limit";
    if (cause instanceof UpstreamTlsException) return "tls";
    return "connect";
  }

  /**
   * Returns a connection whose exchange completed cleanly; call on its event loop. An HTTP/2 stream
   * is done with: it is closed (its connection serves the next).
   */
  void release(Server server, Channel channel) {
    if (channel instanceof Http2StreamChannel) {
      UpstreamHandler.close(channel);
      return;
    }
    if (!channel.isActive()) return;
    ArrayDeque<Channel> idle =
        Parked.of(channel.eventLoop())
            .computeIfAbsent(channel.attr(POOL_KEY).get(), k -> new ArrayDeque<>());
    if (idle.size() >= MAX_IDLE_PER_SERVER) {
      channel.close();
      return;
    }
    UpstreamHandler.of(channel).park(channel);
    idle.addLast(channel);
  }

  /** The TLS handshake with the server failed (its certificate, protocols, ciphers). */
  static final class UpstreamTlsException extends Exception {
    private static final long serialVersionUID = 1L;

    UpstreamTlsException(Throwable cause) {
      super("TLS handshake failed: " + cause.getMessage(), cause);
    }
  }

  /** The server is at its per-server connection limit and has no idle connection here. */
  static final class ConnectionLimitException extends Exception {
    private static final long serialVersionUID = 1L;

    ConnectionLimitException(Server server) {
      super("server " + server.key() + " is at its connection limit", null, false, false);
    }
  }
}
