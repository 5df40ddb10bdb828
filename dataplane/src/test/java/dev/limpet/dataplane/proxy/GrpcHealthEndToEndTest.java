package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.dataplane.testing.Client;
import dev.limpet.dataplane.testing.H2cSplitter;
import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.upstream.Server;
import dev.limpet.testsupport.Backend;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Grpc health monitor through a real data plane: each server is an HTTP/1.1 backend for the
 * proxied traffic and a grpc-java health service on the same port; the server whose health service
 * says NOT_SERVING gets no requests until it says SERVING again.
 */
@Timeout(90)
class GrpcHealthEndToEndTest {
  private static final Duration BOUND = Duration.ofSeconds(15);
  private static final int REQUESTS = 20;

  private ProxyFixture fx;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final List<HealthStatusManager> health = new ArrayList<>();
  private final List<H2cSplitter> ports = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    if (fx != null) fx.close();
    for (AutoCloseable c : started) c.close();
  }

  @Test
  void trafficAvoidsTheServerWhoseHealthServiceSaysNotServing() throws Exception {
    fx = new ProxyFixture(2, 174, "a", "b");
    for (Backend backend : fx.backends) serveGrpcHealthBeside(backend);
    fx.apply(
        """
        virtualServices:
          - {name: web, address: 127.0.0.1, port: ${port}, pool: web}
        pools:
          - name: web
            healthMonitors: [grpc]
            servers:
              - {name: a, ip: %s, port: %d}
              - {name: b, ip: %s, port: %d}
        healthMonitors:
          - {name: grpc, type: Grpc, intervalSeconds: 1, timeoutSeconds: 1, failedChecks: 1, successfulChecks: 1}
        """
            .formatted(
                ports.get(0).address().getHostString(),
                ports.get(0).address().getPort(),
                ports.get(1).address().getHostString(),
                ports.get(1).address().getPort()));
    Server b = server(1);
    assertThat(backendsOf(REQUESTS)).containsExactlyInAnyOrder("a", "b");

    health.get(1).setStatus("", ServingStatus.NOT_SERVING);
    await().atMost(BOUND).until(() -> !b.healthy());
    assertThat(backendsOf(REQUESTS)).containsExactly("a");
    assertThat(fx.dataPlane.monitorStatus("web", b.key()).get(0).lastFailure())
        .isEqualTo("NOT_SERVING");

    health.get(1).setStatus("", ServingStatus.SERVING);
    await().atMost(BOUND).until(b::healthy);
    assertThat(backendsOf(REQUESTS)).containsExactlyInAnyOrder("a", "b");
  }

  /** A grpc-java health service and one port in front of it and {@code backend}. */
  private void serveGrpcHealthBeside(Backend backend) throws Exception {
    HealthStatusManager manager = new HealthStatusManager();
    io.grpc.Server grpc =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getByName(backend.ip()), 0))
            .addService(manager.getHealthService())
            .build()
            .start();
    started.add(() -> grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    H2cSplitter port =
        new H2cSplitter(
            new InetSocketAddress(InetAddress.getByName(backend.ip()), 0),
            new InetSocketAddress(backend.ip(), backend.port()),
            new InetSocketAddress(backend.ip(), grpc.getPort()));
    started.add(port);
    health.add(manager);
    ports.add(port);
  }

  private Server server(int index) {
    InetSocketAddress address = ports.get(index).address();
    return fx.dataPlane
        .current()
        .pools()
        .pool("web")
        .server(address.getHostString() + ":" + address.getPort());
  }

  private Set<String> backendsOf(int requests) {
    Client client = fx.client();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < requests; i++) seen.add(Client.backend(client.get("/")));
    return seen;
  }
}
