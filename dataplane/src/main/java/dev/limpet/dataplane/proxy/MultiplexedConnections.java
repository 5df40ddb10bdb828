package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.tls.UpstreamTls;
import dev.limpet.dataplane.upstream.Server;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP/2 connections to servers, per event loop like the HTTP/1.1 pool: one multiplexed
 * connection per server serves every exchange of the loop as a stream, and another is opened only
 * when the open ones are at the server's limit of concurrent streams or going away (GOAWAY).
 * Exchanges that arrive while the first connection is still being opened wait for it rather than
 * open one each.
 */
final class MultiplexedConnections {
  /** The connections of the current event loop by server key, oldest first. */
  private static final FastThreadLocal<Map<String, List<MultiplexedConnection>>> OPEN =
      new FastThreadLocal<>() {
        @Override
        protected Map<String, List<MultiplexedConnection>> initialValue() {
          return new HashMap<>();
        }
      };

  private final ServerDialer dialer;

  MultiplexedConnections(ServerDialer dialer) {
    this.dialer = dialer;
  }

  /** A new stream to {@code server} on {@code loop}, on a connection that takes one. */
  Future<Channel> stream(Server server, UpstreamTls tls, EventLoop loop, int connectTimeoutMs) {
    String key = ServerDialer.key(server, tls);
    List<MultiplexedConnection> open = OPEN.get().computeIfAbsent(key, k -> new ArrayList<>(1));
    for (int i = 0; i < open.size(); i++) {
      MultiplexedConnection c = open.get(i);
      if (c.takesStream()) return c.openStream();
    }
    MultiplexedConnection c = new MultiplexedConnection();
    ServerDialer.Dial dial =
        dialer.dial(server, tls, true, loop, connectTimeoutMs, c::initPipeline);
    if (dial.channel() == null) return dial.ready(); // at the server's connection limit
    c.dialed(dial);
    open.add(c);
    dial.channel().closeFuture().addListener(f -> open.remove(c));
    return c.openStream();
  }
}
