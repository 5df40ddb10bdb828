package dev.limpet.dataplane.upstream.health;

import dev.limpet.contract.HealthMonitorConfig;
import dev.limpet.dataplane.tls.UpstreamTls;
import dev.limpet.dataplane.upstream.Server;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** One kind of health check: asks a server once whether it is healthy. */
interface Probe {
  /** Probes {@code server} on {@code loop}; the future always completes, never exceptionally. */
  CompletableFuture<ProbeResult> run(Server server, EventLoop loop);

  /**
   * The probe that {@code monitor} describes, connecting through {@code bootstrap}.
   *
   * @param tls the TLS towards the pool's servers when a probe starts, null for plain text
   */
  static Probe of(HealthMonitorConfig monitor, Bootstrap bootstrap, Supplier<UpstreamTls> tls) {
    ProbeConnector connector = new ProbeConnector(bootstrap, monitor.timeoutSeconds() * 1000);
    return switch (monitor.type()) {
      case Http -> new HttpProbe(connector, monitor.http());
      case Tcp -> new TcpProbe(connector);
      case Grpc -> new GrpcProbe(connector, monitor.grpc(), tls);
    };
  }
}
