package dev.limpet.dataplane.upstream.health;

import dev.limpet.dataplane.upstream.Server;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;

/** Passes when a TCP connection to the server can be opened within the timeout. */
final class TcpProbe implements Probe {
  private final ProbeConnector connector;

  TcpProbe(ProbeConnector connector) {
    this.connector = connector;
  }

  @Override
  public CompletableFuture<ProbeResult> run(Server server, EventLoop loop) {
    return connector.probe(
        loop,
        server.address(),
        (channel, result) -> result.complete(ProbeResult.pass("connected")));
  }
}
