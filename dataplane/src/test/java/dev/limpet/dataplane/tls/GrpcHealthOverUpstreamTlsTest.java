package dev.limpet.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.dataplane.DataPlane;
import dev.limpet.dataplane.persistence.CookieKeySet;
import dev.limpet.dataplane.testing.FreePorts;
import dev.limpet.dataplane.testing.TlsDocument;
import dev.limpet.dataplane.upstream.health.MonitorStatus;
import dev.limpet.testsupport.TestPki;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.netty.handler.ssl.SslProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Grpc health monitor reaches a pool's servers with the TLS of the virtual service that
 * re-encrypts to them (its CA bundle and server name), over h2 chosen by ALPN, with each TLS
 * engine.
 */
@Timeout(60)
class GrpcHealthOverUpstreamTlsTest {
  private static final TestPki SERVER_CA = TestPki.authority("grpc-server-ca");
  private static final String IP = "127.0.0.169";

  @TempDir Path dir;
  private io.grpc.Server grpc;
  private DataPlane dataPlane;
  private final int port = FreePorts.next();

  @AfterEach
  void stop() throws InterruptedException {
    if (dataPlane != null) dataPlane.close();
    if (grpc != null) grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void theMonitorUsesTheVirtualServicesUpstreamTls(SslProvider provider) throws Exception {
    Path[] files =
        SERVER_CA.issue("grpc", List.of("grpc.internal"), List.of()).write(dir, "grpc-server");
    grpc =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(InetAddress.getByName(IP), 0),
                TlsServerCredentials.create(files[0].toFile(), files[1].toFile()))
            .addService(new HealthStatusManager().getHealthService())
            .build()
            .start();
    TestPki.writeAtomically(dir.resolve("server-ca.pem"), SERVER_CA.certificatePem());
    SERVER_CA.issue("listener", List.of(), List.of("127.0.0.1")).write(dir, "listener");
    dataPlane = new DataPlane(1, CookieKeySet.random(), null, provider);

    dataPlane.apply(
        new TlsDocument()
            .file("listener", dir, "listener", "listener")
            .tls("upstream: {caFile: %s/server-ca.pem, serverName: grpc.internal}".formatted(dir))
            .pool("healthMonitors: [grpc]")
            .tail(
                "healthMonitors: [{name: grpc, type: Grpc, intervalSeconds: 1, timeoutSeconds: 1,"
                    + " successfulChecks: 1, failedChecks: 1}]")
            .render("[{ip: %s, port: %d}]".formatted(IP, grpc.getPort()))
            .replace("${port}", Integer.toString(port)));

    String server = IP + ":" + grpc.getPort();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> dataPlane.monitorStatus("web", server).get(0).lastResult() != null);
    assertThat(dataPlane.monitorStatus("web", server))
        .containsExactly(new MonitorStatus("grpc", true, "SERVING", null));
  }
}
