package dev.limpet.dataplane.upstream.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.contract.DataPlaneConfig;
import dev.limpet.contract.HealthMonitorConfig;
import dev.limpet.contract.HealthMonitorConfig.GrpcCheck;
import dev.limpet.contract.HealthMonitorConfig.Type;
import dev.limpet.contract.PoolConfig;
import dev.limpet.contract.ServerConfig;
import dev.limpet.contract.UpstreamTlsConfig;
import dev.limpet.dataplane.tls.TicketKeyRing;
import dev.limpet.dataplane.tls.TicketKeySet;
import dev.limpet.dataplane.tls.TlsContexts;
import dev.limpet.dataplane.tls.UpstreamTls;
import dev.limpet.dataplane.upstream.PoolCatalog;
import dev.limpet.dataplane.upstream.Server;
import dev.limpet.testsupport.Backend;
import dev.limpet.testsupport.TestPki;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grpc monitor against real grpc-java servers ({@link HealthStatusManager}, the grpc.health.v1
 * implementation gRPC ships) on 127.0.0.x, in h2c and in h2 over TLS, with 1-second intervals.
 */
@Timeout(60)
class GrpcHealthCheckTest {
  private static final Duration BOUND = Duration.ofSeconds(15);
  private static final TestPki CA = TestPki.authority("grpc-ca");

  @TempDir Path dir;
  private final List<AutoCloseable> started = new ArrayList<>();
  private EventLoopGroup group;
  private HealthChecker checker;

  @BeforeEach
  void startChecker() {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    checker = new HealthChecker(group, NioSocketChannel.class);
  }

  @AfterEach
  void stopEverything() throws Exception {
    checker.close();
    for (AutoCloseable c : started) c.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
  }

  @Test
  void notServingTakesTheServerDownAfterFailedChecksAndServingBringsItBack() throws Exception {
    GrpcServer grpc = grpcServer("127.0.0.161");
    Server server = watch(grpc.port("127.0.0.161"), grpcMonitor("", 2, 2), Map.of());

    awaitResult(server, "SERVING");
    assertThat(server.healthy()).isTrue();

    grpc.health.setStatus("", ServingStatus.NOT_SERVING);
    await().atMost(BOUND).until(() -> !server.healthy());
    assertThat(checker.status("web", server.key()))
        .containsExactly(new MonitorStatus("grpc", false, "NOT_SERVING", "NOT_SERVING"));

    grpc.health.setStatus("", ServingStatus.SERVING);
    await().atMost(BOUND).until(server::healthy);
    assertThat(checker.status("web", server.key()))
        .containsExactly(new MonitorStatus("grpc", true, "SERVING", "NOT_SERVING"));
  }

  @Test
  void theConfiguredServiceIsAskedForNotTheServerAsAWhole() throws Exception {
    GrpcServer grpc = grpcServer("127.0.0.162");
    grpc.health.setStatus("", ServingStatus.NOT_SERVING);
    grpc.health.setStatus("shop.v1.Cart", ServingStatus.SERVING);
    Server cart = watch(grpc.port("127.0.0.162"), grpcMonitor("shop.v1.Cart", 1, 1), Map.of());

    awaitResult(cart, "SERVING");
    grpc.health.setStatus("shop.v1.Cart", ServingStatus.NOT_SERVING);
    awaitResult(cart, "NOT_SERVING");
    assertThat(cart.healthy()).isFalse();
  }

  @Test
  void anUnknownServiceFailsWithTheServersNotFound() throws Exception {
    GrpcServer grpc = grpcServer("127.0.0.163");
    Server server = watch(grpc.port("127.0.0.163"), grpcMonitor("shop.v1.Missing", 1, 1), Map.of());

    await().atMost(BOUND).until(() -> !server.healthy());
    assertThat(checker.status("web", server.key()).get(0).lastFailure())
        .isEqualTo("grpc-status 5 (NOT_FOUND): unknown service shop.v1.Missing");
  }

  @Test
  void aStoppedServerIsRefused() throws Exception {
    GrpcServer grpc = grpcServer("127.0.0.164");
    Server server = watch(grpc.port("127.0.0.164"), grpcMonitor("", 1, 1), Map.of());
    awaitResult(server, "SERVING");

    grpc.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    await().atMost(BOUND).until(() -> !server.healthy());
    assertThat(checker.status("web", server.key()).get(0).lastFailure())
        .isEqualTo("connect refused");
  }

  @Test
  void aPlainHttp1ServerOnThePortIsNamedAsSuch() throws Exception {
    Backend http1 = Backend.statusOnly("127.0.0.165");
    started.add(http1);
    Server server =
        watch(new InetSocketAddress(http1.ip(), http1.port()), grpcMonitor("", 1, 1), Map.of());

    await().atMost(BOUND).until(() -> !server.healthy());
    assertThat(checker.status("web", server.key()).get(0).lastFailure())
        .isEqualTo("the server answered in HTTP/1.x: it does not speak HTTP/2 (h2c)");
  }

  @Test
  void overTlsTheCallGoesOverH2ChosenByAlpnWithThePoolsCertificateChecks() throws Exception {
    GrpcServer grpc = grpcTlsServer("127.0.0.166");
    Server server =
        watch(
            grpc.port("127.0.0.166"),
            grpcMonitor("", 1, 1),
            Map.of("web", upstreamTls(List.of(CA.certificate()))));

    awaitResult(server, "SERVING");
    grpc.health.setStatus("", ServingStatus.NOT_SERVING);
    awaitResult(server, "NOT_SERVING");
  }

  @Test
  void overTlsAnUntrustedCertificateFailsTheHandshake() throws Exception {
    GrpcServer grpc = grpcTlsServer("127.0.0.167");
    TestPki other = TestPki.authority("other-ca");
    Server server =
        watch(
            grpc.port("127.0.0.167"),
            grpcMonitor("", 1, 1),
            Map.of("web", upstreamTls(List.of(other.certificate()))));

    await().atMost(BOUND).until(() -> !server.healthy());
    assertThat(checker.status("web", server.key()).get(0).lastFailure())
        .startsWith("TLS handshake failed: ");
  }

  @Test
  void overTlsAServerThatDoesNotChooseH2IsNamedAsSuch() throws Exception {
    Backend https =
        Backend.startHttps(
            "https",
            "127.0.0.168",
            CA.issue("https", List.of(), List.of("127.0.0.168")).serverContext());
    started.add(https);
    Server server =
        watch(
            new InetSocketAddress(https.ip(), https.port()),
            grpcMonitor("", 1, 1),
            Map.of("web", upstreamTls(List.of(CA.certificate()))));

    await().atMost(BOUND).until(() -> !server.healthy());
    assertThat(checker.status("web", server.key()).get(0).lastFailure())
        .isEqualTo("the server did not choose h2 by ALPN (it chose nothing)");
  }

  private void awaitResult(Server server, String result) {
    await()
        .atMost(BOUND)
        .until(() -> result.equals(checker.status("web", server.key()).get(0).lastResult()));
  }

  /** A grpc-java server whose only service is grpc.health.v1, overall status SERVING. */
  private record GrpcServer(io.grpc.Server server, HealthStatusManager health) {
    InetSocketAddress port(String ip) {
      return new InetSocketAddress(ip, server.getPort());
    }
  }

  private GrpcServer grpcServer(String ip) throws IOException {
    return started(
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getByName(ip), 0)));
  }

  private GrpcServer grpcTlsServer(String ip) throws IOException {
    Path[] files = CA.issue("grpc", List.of(), List.of(ip)).write(dir, "grpc-" + ip);
    return started(
        NettyServerBuilder.forAddress(
            new InetSocketAddress(InetAddress.getByName(ip), 0),
            TlsServerCredentials.create(files[0].toFile(), files[1].toFile())));
  }

  private GrpcServer started(NettyServerBuilder builder) throws IOException {
    HealthStatusManager health = new HealthStatusManager();
    io.grpc.Server server = builder.addService(health.getHealthService()).build().start();
    started.add(
        () -> {
          health.enterTerminalState();
          server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        });
    return new GrpcServer(server, health);
  }

  private static UpstreamTls upstreamTls(List<java.security.cert.X509Certificate> trusted)
      throws Exception {
    TlsContexts contexts =
        new TlsContexts(SslProvider.JDK, new TicketKeyRing(TicketKeySet.random()));
    UpstreamTlsConfig config = new UpstreamTlsConfig(true, null, null, null);
    return new UpstreamTls(
        contexts.client(config, trusted, false),
        contexts.client(config, trusted, true),
        null,
        "test");
  }

  private static HealthMonitorConfig grpcMonitor(
      String service, int successfulChecks, int failedChecks) {
    return new HealthMonitorConfig(
        "grpc",
        Type.Grpc,
        1,
        1,
        successfulChecks,
        failedChecks,
        null,
        new GrpcCheck(service, null));
  }

  /** Puts the server at {@code address} alone in pool {@code web} and starts checking it. */
  private Server watch(
      InetSocketAddress address, HealthMonitorConfig monitor, Map<String, UpstreamTls> tls) {
    ServerConfig config =
        new ServerConfig(null, address.getHostString(), address.getPort(), 1, null, false, null);
    PoolCatalog catalog =
        PoolCatalog.build(
            new DataPlaneConfig(
                null,
                null,
                List.of(
                    new PoolConfig(
                        "web", null, List.of(config), List.of(monitor.name()), null, 0, 0)),
                null,
                List.of(monitor),
                null,
                null,
                null),
            PoolCatalog.EMPTY,
            pool -> null,
            System::currentTimeMillis);
    checker.update(catalog, tls);
    return catalog.pool("web").server(address.getHostString() + ":" + address.getPort());
  }
}
