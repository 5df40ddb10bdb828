package dev.limpet.dataplane.upstream.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.limpet.contract.DataPlaneConfig;
import dev.limpet.contract.HealthMonitorConfig;
import dev.limpet.contract.HealthMonitorConfig.HttpCheck;
import dev.limpet.contract.HealthMonitorConfig.Type;
import dev.limpet.contract.PoolConfig;
import dev.limpet.contract.ServerConfig;
import dev.limpet.dataplane.upstream.PoolCatalog;
import dev.limpet.dataplane.upstream.Server;
import dev.limpet.testsupport.Backend;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/** Health monitors against real backends on 127.0.0.x, with 1-second intervals. */
@Timeout(60)
class HealthCheckerTest {
  private static final Duration BOUND = Duration.ofSeconds(15);

  private final List<AutoCloseable> started = new ArrayList<>();
  private EventLoopGroup group;
  private HealthChecker checker;

  enum Transport {
    NIO,
    EPOLL
  }

  @AfterEach
  void stopEverything() throws Exception {
    if (checker != null) checker.close();
    for (AutoCloseable c : started) c.close();
    if (group != null) group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anHttpMonitorTakesAServerDownOnRepeated503sAndBackUpOnRepeatedPasses(Transport transport)
      throws Exception {
    start(transport);
    Backend backend = backend("127.0.0.21");
    HealthMonitorConfig http = http("http", "/health", 2, 2);
    Server server = watch(backend, http);

    await()
        .atMost(BOUND)
        .until(() -> checker.status("web", server.key()).get(0).lastResult() != null);
    assertThat(server.healthy()).isTrue();
    assertThat(checker.status("web", server.key()))
        .containsExactly(new MonitorStatus("http", true, "HTTP 200", null));

    backend.answer(503);
    await().atMost(BOUND).until(() -> !server.healthy());
    assertThat(backend.served(503)).isGreaterThanOrEqualTo(2);
    assertThat(checker.status("web", server.key()))
        .containsExactly(new MonitorStatus("http", false, "HTTP 503", "HTTP 503"));

    backend.answer(200);
    int passesBefore = backend.served(200);
    await().atMost(BOUND).until(server::healthy);
    assertThat(backend.served(200) - passesBefore).isGreaterThanOrEqualTo(2);
    assertThat(checker.status("web", server.key()))
        .containsExactly(new MonitorStatus("http", true, "HTTP 200", "HTTP 503"));
  }

  @Test
  void aRefusedConnectionTakesAServerDownUntilItListensAgain() throws Exception {
    start(Transport.NIO);
    Backend backend = backend("127.0.0.22");
    HealthMonitorConfig http = http("http", "/", 1, 1);
    Server server = watch(backend, http);
    await().atMost(BOUND).until(() -> backend.requests() >= 1);

    backend.stop();
    await().atMost(BOUND).until(() -> !server.healthy());
    assertThat(checker.status("web", server.key()).get(0).lastFailure())
        .isEqualTo("connect refused");

    backend.restart();
    await().atMost(BOUND).until(server::healthy);
  }

  @Test
  void sendsTheConfiguredMethodPathAndHost() throws Exception {
    start(Transport.NIO);
    Backend byDefault = backend("127.0.0.23");
    Backend named = backend("127.0.0.24");
    HealthMonitorConfig plain = http("plain", "/ping", 1, 1);
    HealthMonitorConfig headWithHost =
        new HealthMonitorConfig(
            "head",
            Type.Http,
            1,
            1,
            1,
            1,
            new HttpCheck("HEAD", "/status?full=1", List.of("204"), "health.example"));
    named.answer(204);
    checker.update(
        catalog(
            PoolCatalog.EMPTY,
            List.of(plain, headWithHost),
            pool("a", List.of("plain"), server(byDefault)),
            pool("b", List.of("head"), server(named))));

    await().atMost(BOUND).until(() -> byDefault.lastRequest() != null);
    assertThat(byDefault.lastRequest())
        .isEqualTo("GET /ping " + byDefault.ip() + ":" + byDefault.port());
    await().atMost(BOUND).until(() -> named.lastRequest() != null);
    assertThat(named.lastRequest()).isEqualTo("HEAD /status health.example");
    await().atMost(BOUND).until(() -> checker.status("b", key(named)).get(0).lastResult() != null);
    assertThat(checker.status("b", key(named)).get(0).lastResult()).isEqualTo("HTTP 204");
  }

  @Test
  void aServerWithTwoMonitorsIsDownWhileOneFails() throws Exception {
    start(Transport.NIO);
    Backend backend = backend("127.0.0.25");
    backend.answer("/ready", 503);
    HealthMonitorConfig live = http("live", "/live", 1, 1);
    HealthMonitorConfig ready = http("ready", "/ready", 1, 1);
    Server server = watch(backend, live, ready);

    await().atMost(BOUND).until(() -> !server.healthy());
    await()
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThat(checker.status("web", server.key()))
                    .containsExactly(
                        new MonitorStatus("live", true, "HTTP 200", null),
                        new MonitorStatus("ready", false, "HTTP 503", "HTTP 503")));

    backend.answer("/ready", 200);
    await().atMost(BOUND).until(server::healthy);
  }

  @Test
  void aTcpMonitorPassesWhenItConnectsAndFailsWhenRefused() throws Exception {
    start(Transport.NIO);
    ServerSocket listening = listen("127.0.0.26");
    int closedPort = freePort("127.0.0.27");
    HealthMonitorConfig tcp = new HealthMonitorConfig("tcp", Type.Tcp, 1, 1, 1, 1, null);
    PoolCatalog catalog =
        catalog(
            PoolCatalog.EMPTY,
            List.of(tcp),
            pool(
                "web",
                List.of("tcp"),
                server("127.0.0.26", listening.getLocalPort()),
                server("127.0.0.27", closedPort)));
    Server up = catalog.pool("web").server("127.0.0.26:" + listening.getLocalPort());
    Server refused = catalog.pool("web").server("127.0.0.27:" + closedPort);
    checker.update(catalog);

    await().atMost(BOUND).until(() -> !refused.healthy());
    assertThat(checker.status("web", refused.key()).get(0).lastFailure())
        .isEqualTo("connect refused");
    await()
        .atMost(BOUND)
        .until(() -> "connected".equals(checker.status("web", up.key()).get(0).lastResult()));
    assertThat(up.healthy()).isTrue();
  }

  @Test
  void aServerThatAcceptsButNeverAnswersTimesOut() throws Exception {
    start(Transport.NIO);
    ServerSocket silent = listen("127.0.0.28"); // the kernel accepts; nobody answers
    HealthMonitorConfig http = http("http", "/", 1, 1);
    PoolCatalog catalog =
        catalog(
            PoolCatalog.EMPTY,
            List.of(http),
            pool("web", List.of("http"), server("127.0.0.28", silent.getLocalPort())));
    Server server = catalog.pool("web").servers().get(0);
    checker.update(catalog);

    await().atMost(BOUND).until(() -> !server.healthy());
    assertThat(checker.status("web", server.key()).get(0).lastFailure()).isEqualTo("timeout");
  }

  @Test
  void aReloadKeepsUnchangedChecksAndStopsRemovedOnes() throws Exception {
    start(Transport.NIO);
    Backend backend = backend("127.0.0.29");
    backend.answer(503);
    HealthMonitorConfig http = http("http", "/", 1, 1);
    PoolCatalog first =
        catalog(PoolCatalog.EMPTY, List.of(http), pool("web", List.of("http"), server(backend)));
    checker.update(first);
    await().atMost(BOUND).until(() -> !server(first, "web", backend).healthy());

    // Only the server's ratio changes: same server key, same monitor, so the check goes on.
    ServerConfig heavier =
        new ServerConfig(null, backend.ip(), backend.port(), 5, null, false, null);
    PoolCatalog second = catalog(first, List.of(http), pool("web", List.of("http"), heavier));
    checker.update(second);
    Server reconfigured = server(second, "web", backend);
    assertThat(reconfigured.healthy()).isFalse();
    assertThat(checker.status("web", reconfigured.key()))
        .containsExactly(new MonitorStatus("http", false, "HTTP 503", "HTTP 503"));

    // Without its monitor the server is healthy again at once.
    PoolCatalog third = catalog(second, List.of(http), pool("web", List.of(), heavier));
    checker.update(third);
    assertThat(server(third, "web", backend).healthy()).isTrue();
    assertThat(checker.status("web", reconfigured.key())).isEmpty();
    int requests = backend.requests();
    await()
        .during(Duration.ofMillis(2500))
        .atMost(BOUND)
        .until(() -> backend.requests() <= requests + 1); // at most the probe in flight
  }

  @Test
  void aNewMonitorOnAKeptServerStartsPassingAndARemovedServerIsForgotten() throws Exception {
    start(Transport.NIO);
    Backend kept = backend("127.0.0.30");
    Backend removed = backend("127.0.0.31");
    HealthMonitorConfig http = http("http", "/", 1, 1);
    HealthMonitorConfig tcp = new HealthMonitorConfig("tcp", Type.Tcp, 1, 1, 1, 1, null);
    PoolCatalog first =
        catalog(
            PoolCatalog.EMPTY,
            List.of(http, tcp),
            pool("web", List.of("http"), server(kept), server(removed)));
    checker.update(first);
    await().atMost(BOUND).until(() -> removed.requests() >= 1);

    PoolCatalog second =
        catalog(first, List.of(http, tcp), pool("web", List.of("http", "tcp"), server(kept)));
    checker.update(second);

    assertThat(checker.status("web", key(removed))).isEmpty();
    assertThat(checker.status("web", key(kept)))
        .extracting(MonitorStatus::monitor, MonitorStatus::passing)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("http", true),
            org.assertj.core.groups.Tuple.tuple("tcp", true));
    await()
        .atMost(BOUND)
        .until(() -> "connected".equals(checker.status("web", key(kept)).get(1).lastResult()));
    int requests = removed.requests();
    await()
        .during(Duration.ofMillis(2500))
        .atMost(BOUND)
        .until(() -> removed.requests() <= requests + 1);
  }

  @Test
  void logsEachTransitionWithPoolServerAndReason() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(ServerHealth.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    started.add(() -> logger.detachAppender(logs));
    start(Transport.NIO);
    Backend backend = backend("127.0.0.32");
    backend.answer(503);
    HealthMonitorConfig http = http("http", "/", 2, 2);
    Server server = watch(backend, http);

    await().atMost(BOUND).until(() -> !server.healthy());
    backend.answer(200);
    await().atMost(BOUND).until(server::healthy);

    assertThat(logs.list)
        .filteredOn(e -> e.getLevel() == Level.WARN)
        .extracting(ILoggingEvent::getFormattedMessage)
        .singleElement()
        .asString()
        .contains("pool web", server.key(), "is down", "monitor http", "HTTP 503 (2 in a row)");
    assertThat(logs.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(
            m ->
                assertThat(m).contains("pool web", server.key(), "is up", "HTTP 200 (2 in a row)"));
  }

  @Test
  void closeStopsEveryCheck() throws Exception {
    start(Transport.NIO);
    Backend backend = backend("127.0.0.33");
    HealthMonitorConfig http = http("http", "/", 1, 1);
    watch(backend, http);
    await().atMost(BOUND).until(() -> backend.requests() >= 1);

    checker.close();

    int requests = backend.requests();
    await()
        .during(Duration.ofMillis(2500))
        .atMost(BOUND)
        .until(() -> backend.requests() <= requests + 1);
    assertThat(checker.status("web", key(backend))).isEmpty();
  }

  private void start(Transport transport) {
    if (transport == Transport.EPOLL) {
      Assumptions.assumeTrue(Epoll.isAvailable(), "epoll is not available here");
      group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
      checker = new HealthChecker(group, EpollSocketChannel.class);
    } else {
      group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
      checker = new HealthChecker(group, NioSocketChannel.class);
    }
  }

  private Backend backend(String ip) throws IOException {
    Backend backend = Backend.statusOnly(ip);
    started.add(backend);
    return backend;
  }

  private ServerSocket listen(String ip) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(ip), 0), 16);
    started.add(socket);
    return socket;
  }

  /** A port nothing listens on: bound once to find it free, then closed. */
  private static int freePort(String ip) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(ip), 0));
      return socket.getLocalPort();
    }
  }

  private static HealthMonitorConfig http(
      String name, String path, int successfulChecks, int failedChecks) {
    return new HealthMonitorConfig(
        name,
        Type.Http,
        1,
        1,
        successfulChecks,
        failedChecks,
        new HttpCheck(null, path, null, null));
  }

  private static PoolCatalog catalog(
      PoolCatalog previous, List<HealthMonitorConfig> monitors, PoolConfig... pools) {
    return PoolCatalog.build(
        new DataPlaneConfig(null, null, List.of(pools), null, monitors, null, null, null),
        previous,
        pool -> null,
        System::currentTimeMillis);
  }

  /** Puts {@code backend} alone in pool {@code web} under these monitors and starts checking. */
  private Server watch(Backend backend, HealthMonitorConfig... monitors) {
    List<String> names = Stream.of(monitors).map(HealthMonitorConfig::name).toList();
    PoolCatalog catalog =
        catalog(PoolCatalog.EMPTY, List.of(monitors), pool("web", names, server(backend)));
    checker.update(catalog);
    return server(catalog, "web", backend);
  }

  private static PoolConfig pool(String name, List<String> monitors, ServerConfig... servers) {
    return new PoolConfig(name, null, List.of(servers), monitors, null, 0, 0);
  }

  private static ServerConfig server(Backend backend) {
    return server(backend.ip(), backend.port());
  }

  private static ServerConfig server(String ip, int port) {
    return new ServerConfig(null, ip, port, 1, null, false, null);
  }

  private static Server server(PoolCatalog catalog, String pool, Backend backend) {
    return catalog.pool(pool).server(key(backend));
  }

  private static String key(Backend backend) {
    return backend.ip() + ":" + backend.port();
  }
}
