package dev.limpet.dataplane.proxy;

import static dev.limpet.dataplane.proxy.StageChannels.PORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import dev.limpet.dataplane.runtime.ConfigHolder;
import dev.limpet.dataplane.runtime.RuntimeConfig;
import dev.limpet.dataplane.transport.Transport;
import dev.limpet.dataplane.upstream.Server;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The connect stage against real sockets: server a (127.0.0.2) refuses connections, server b
 * (127.0.0.3) listens. Requests name a first (as a script's {@code avi.pool.select} would), so the
 * order of tries is known.
 */
@Timeout(20)
class ServerConnectorTest {
  private final DataPlaneMetrics metrics = new DataPlaneMetrics();
  private final ProxyContext context =
      new ProxyContext(new ConfigHolder(), Transport.best(), metrics);
  private final RecordedEndings endings = new RecordedEndings();
  private final List<String> connections = new CopyOnWriteArrayList<>();
  private volatile boolean waiting = true;
  private EventLoopGroup group;
  private EventLoop loop;
  private ServerSocket listening;
  private RuntimeConfig config;
  private ServerConnector connector;

  /** The proxy handler's side: notes each connection and keeps it as the exchange's. */
  private final ServerConnector.Connected connected =
      new ServerConnector.Connected() {
        @Override
        public boolean waiting(Exchange e) {
          return waiting;
        }

        @Override
        public void connected(Exchange e, Channel upstream) {
          e.upstream = upstream;
          e.server().requestStarted();
          connections.add(e.server().name());
        }
      };

  @BeforeEach
  void start() throws Exception {
    listening = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.3"));
    int refusing;
    try (ServerSocket closed = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.2"))) {
      refusing = closed.getLocalPort();
    }
    config =
        StageChannels.full(
            """
            version: "1"
            virtualServices:
              - {name: web, port: %d, hostnames: [web.example], pool: web}
            pools:
              - name: web
                servers:
                  - {name: a, ip: 127.0.0.2, port: %d}
                  - {name: b, ip: 127.0.0.3, port: %d}
            """
                .formatted(PORT, refusing, listening.getLocalPort()));
    group = Transport.best().newGroup(1);
    loop = group.next();
    connector = new ServerConnector(loop, context, new Balancing(metrics), endings, connected);
  }

  @AfterEach
  void stop() throws Exception {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    listening.close();
  }

  /** An exchange of a {@code method} request whose choice starts with server a. */
  private Exchange exchange(HttpMethod method) {
    var route = StageChannels.from("127.0.0.9", new Route(() -> config, PORT));
    var head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, "/");
    head.headers().set("host", "web.example");
    route.writeInbound(head);
    RoutedRequest request = route.readInbound();
    route.finishAndReleaseAll();
    Exchange e = new Exchange(request, null);
    e.requestPhase = Exchange.RequestPhase.RECEIVED;
    e.choice = new ServerChoice(request.vs().pool(), server("a"), request.client());
    return e;
  }

  private Server server(String name) {
    return config.pools().pool("web").servers().stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private void onLoop(Runnable step) throws Exception {
    loop.submit(step).sync();
  }

  private double connectErrors(String kind) {
    var counter = metrics.registry().find("limpet_upstream_errors").tag("kind", kind).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aRetryableRequestRefusedByOneServerGoesToTheNext() throws Exception {
    Exchange e = exchange(HttpMethod.GET);

    onLoop(() -> connector.choose(e));

    await().atMost(Duration.ofSeconds(10)).until(() -> !connections.isEmpty());
    assertThat(connections).containsExactly("b");
    assertThat(endings.asked).isEmpty();
    assertThat(connectErrors("connect")).isEqualTo(1.0);
    listening.setSoTimeout(10_000);
    listening.accept().close(); // it reached b
    onLoop(() -> e.upstream.close());
  }

  @Test
  void aRequestThatMayNotBeRetriedFailsAtTheServerThatRefused() throws Exception {
    Exchange e = exchange(HttpMethod.POST);

    onLoop(() -> connector.choose(e));

    await().atMost(Duration.ofSeconds(10)).until(() -> !endings.asked.isEmpty());
    assertThat(endings.asked).containsExactly("server failed 502 could not connect to server a");
    assertThat(connections).isEmpty();
  }

  @Test
  void aPoolWithNoServerUpIs503AndOneWhoseServersAllRefusedIs502() throws Exception {
    server("b").setHealthy(false);
    Exchange refused = exchange(HttpMethod.GET);
    onLoop(() -> connector.choose(refused));
    await().atMost(Duration.ofSeconds(10)).until(() -> !endings.asked.isEmpty());

    server("a").setHealthy(false);
    Exchange none = exchange(HttpMethod.GET);
    none.choice = new ServerChoice(none.pool(), null, none.clientRequest());
    onLoop(() -> connector.choose(none));

    assertThat(endings.asked)
        .containsExactly(
            "server failed 502 no server reachable in pool web",
            "server failed 503 no server available in pool web");
  }

  @Test
  void aConnectionForAnExchangeThatEndedMeanwhileIsClosed() throws Exception {
    waiting = false;
    Exchange e = exchange(HttpMethod.GET);
    e.choice = new ServerChoice(e.pool(), server("b"), e.clientRequest());

    onLoop(() -> connector.choose(e));

    listening.setSoTimeout(10_000);
    try (Socket accepted = listening.accept()) {
      accepted.setSoTimeout(10_000);
      assertThat(accepted.getInputStream().read()).isEqualTo(-1); // closed by the proxy
    }
    assertThat(connections).isEmpty();
    assertThat(endings.asked).isEmpty();
  }

  @Test
  void aPooledConnectionClosedBeforeTheResponseIsReplacedOnceTheResponseStartedTheClientCloses()
      throws Exception {
    Exchange e = exchange(HttpMethod.GET);
    e.choice = new ServerChoice(e.pool(), server("b"), e.clientRequest());
    onLoop(() -> connector.choose(e));
    await().atMost(Duration.ofSeconds(10)).until(() -> connections.size() == 1);

    onLoop(() -> connector.closed(e, false)); // nothing of a response yet: sent again
    await().atMost(Duration.ofSeconds(10)).until(() -> connections.size() == 2);
    assertThat(connectErrors("reset")).isZero();

    e.responsePhase = Exchange.ResponsePhase.RELAYING;
    onLoop(() -> connector.closed(e, false));
    assertThat(endings.asked).containsExactly("close client");
    assertThat(connectErrors("reset")).isEqualTo(1.0);
    assertThat(e.upstream).isNull();
  }
}
