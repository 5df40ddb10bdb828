package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.tls.UpstreamTls;
import dev.limpet.dataplane.transport.Transport;
import dev.limpet.dataplane.upstream.Server;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.function.Consumer;

/**
 * Opens connections to servers for both connection pools: TCP within the per-server connection
 * limit (the server counts the connection until it closes), then TLS when the virtual service
 * re-encrypts, with h2 required by ALPN for an HTTP/2 pool.
 */
final class ServerDialer {
  static final String TLS = "tls";

  /**
   * A connection being opened: its channel at once (to watch its close), and {@code ready}, done
   * when it is usable (connected, handshaken); {@code channel} is null when the limit refused it.
   */
  record Dial(Channel channel, Future<Channel> ready) {}

  private final Transport transport;

  ServerDialer(Transport transport) {
    this.transport = transport;
  }

  /** Which pooled connections are interchangeable: same server, same TLS context (or none). */
  static String key(Server server, UpstreamTls tls) {
    return tls == null ? server.key() : server.key() + "/" + tls.poolKey();
  }

  /**
   * Opens a connection to {@code server} on {@code loop}; {@code handlers} completes its pipeline
   * after the TLS handler. Call on {@code loop}.
   *
   * @param http2 offer (and require) h2 by ALPN; the connection reads on its own (a multiplexed
   *     connection serves streams that read explicitly), an HTTP/1.1 one only when asked
   */
  Dial dial(
      Server server,
      UpstreamTls tls,
      boolean http2,
      EventLoop loop,
      int connectTimeoutMs,
      Consumer<Channel> handlers) {
    if (!server.tryOpenConnection())
      return new Dial(
          null, loop.newFailedFuture(new UpstreamConnectionPool.ConnectionLimitException(server)));
    ChannelFuture connect =
        new Bootstrap()
            .group(loop)
            .channel(transport.clientChannel())
            .option(ChannelOption.AUTO_READ, http2)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    if (tls != null)
                      ch.pipeline()
                          .addLast(TLS, tls.newHandler(ch.alloc(), server.address(), http2));
                    handlers.accept(ch);
                  }
                })
            .connect(server.address());
    Promise<Channel> ready = loop.newPromise();
    connect.addListener(
        (ChannelFutureListener)
            f -> {
              if (!f.isSuccess()) ready.setFailure(f.cause());
              else if (tls == null) ready.setSuccess(f.channel());
              else handshake(f.channel(), http2, ready);
            });
    Channel channel = connect.channel();
    channel.closeFuture().addListener(f -> server.connectionClosed());
    return new Dial(channel, ready);
  }

  /**
   * Completes {@code ready} when the TLS handshake is done and, for HTTP/2, the server chose h2;
   * reads until then, since an HTTP/1.1 connection's reads are explicit and nobody else asks for
   * one before the request is sent.
   */
  private static void handshake(Channel channel, boolean http2, Promise<Channel> ready) {
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    ssl.handshakeFuture()
        .addListener(
            h -> {
              if (!h.isSuccess()) {
                ready.setFailure(new UpstreamConnectionPool.UpstreamTlsException(h.cause()));
                channel.close();
              } else if (http2
                  && !ApplicationProtocolNames.HTTP_2.equals(ssl.applicationProtocol())) {
                ready.setFailure(
                    new UpstreamConnectionPool.UpstreamTlsException(
                        new IllegalStateException(
                            "the server did not choose h2 by ALPN (chose "
                                + ssl.applicationProtocol()
                                + ") for a pool whose protocol is Http2")));
                channel.close();
              } else {
                ready.setSuccess(channel);
              }
            });
    channel.read();
  }
}
