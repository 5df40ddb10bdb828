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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP/2 connections to servers, per event loop like the HTTP/1.1 pool: one multiplexed
 * connection per server serves every exchange of the loop as a stream, and another is opened only
 * when the open ones are at the server's limit of concurrent streams or going away (GOAWAY).
 * Exchanges that arrive while the first connection is still being opened wait for it rather than
 * open one each. The server's connection limit counts connections across loops: a loop that may
 * open no more takes a stream on another loop's connection with room (a multiplexed connection is
 * what the limit protects; its streams cost the server none), and that stream's events cross to the
 * exchange's loop.
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

  /** Every loop's connections by server key, for a loop at the server's connection limit. */
  private final Map<String, Set<MultiplexedConnection>> all = new ConcurrentHashMap<>();

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
    MultiplexedConnection c = new MultiplexedConnection(server);
    ServerDialer.Dial dial =
        dialer.dial(server, tls, true, loop, connectTimeoutMs, c::initPipeline);
    if (dial.channel() == null) {
      // at the server's connection limit: a stream on another loop's connection, if one has room
      for (MultiplexedConnection other : all.getOrDefault(key, Set.of()))
        if (other.loop() != loop && other.hadRoom()) return other.openStreamFor(loop);
      return dial.ready();
    }
    c.dialed(dial);
    open.add(c);
    Set<MultiplexedConnection> everyLoop =
        all.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
    everyLoop.add(c);
    dial.channel()
        .closeFuture()
        .addListener(
            f -> {
              open.remove(c);
              everyLoop.remove(c);
            });
    return c.openStream();
  }
}
