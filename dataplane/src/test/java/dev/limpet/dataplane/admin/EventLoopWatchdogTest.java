package dev.limpet.dataplane.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.limpet.dataplane.runtime.EventLoopWatchdog;
import dev.limpet.dataplane.testing.Client;
import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.transport.Transport;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * A data plane whose only event loop is held on purpose, for a bounded time, by a DataScript given
 * a long wall clock: {@code /livez} fails while it is held and recovers after, the stall is counted
 * once and the loop's stack is logged once; {@code /healthz} and {@code /readyz} are unchanged.
 */
@Timeout(60)
class EventLoopWatchdogTest {
  private ProxyFixture fx;
  private AdminServer admin;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger watchdogLog = (Logger) LoggerFactory.getLogger(EventLoopWatchdog.class);

  @AfterEach
  void stop() {
    watchdogLog.detachAppender(logs);
    if (admin != null) admin.close();
    if (fx != null) fx.close();
  }

  @Test
  void aStalledEventLoopFailsLivenessOnceLogsItsStackOnceAndRecovers() throws Exception {
    fx = new ProxyFixture(1, 151, "s1");
    fx.apply(
        """
        virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web, dataScripts: [stall]}]
        pools: [{name: web, servers: [{ip: ${b0.ip}, port: ${b0.port}}]}]
        scriptLimits: {maxInstructions: 1000000000, wallClockMs: 2500}
        dataScripts:
          - name: stall
            events:
              httpRequest: |
                if avi.http.get_path() == "/stall" then
                  while true do end
                end
        """);
    fx.dataPlane.stallThreshold(Duration.ofMillis(500));
    admin = new AdminServer(new InetSocketAddress("127.0.0.1", 0), fx.dataPlane, Transport.best());
    Client probes = new Client(admin.address().getPort());
    logs.start();
    watchdogLog.addAppender(logs);
    assertThat(probes.get("/livez").statusCode()).isEqualTo(200);

    // holds the loop until the 2.5 s wall clock ends the script: a bounded stall
    CompletableFuture<HttpResponse<String>> stalled =
        CompletableFuture.supplyAsync(() -> fx.client().get("/stall"));
    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              HttpResponse<String> live = probes.get("/livez");
              assertThat(live.statusCode()).isEqualTo(503);
              assertThat(live.body()).contains("not live: event loop(s)").contains("500 ms");
            });
    assertThat(probes.get("/healthz").statusCode()).isEqualTo(200);
    assertThat(probes.get("/readyz").statusCode()).isEqualTo(200);

    assertThat(stalled.get().statusCode()).isEqualTo(500);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(probes.get("/livez").statusCode()).isEqualTo(200));
    assertThat(fx.client().get("/").statusCode()).isEqualTo(200);

    assertThat(fx.dataPlane.metrics().scrape())
        .contains("limpet_event_loop_stalls_total 1.0")
        .contains("limpet_event_loops_stalled 0.0");
    var errors = logs.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
    assertThat(errors)
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getFormattedMessage())
                    .contains("has run no task for more than 500 ms")
                    // the stack of the event loop, caught inside the spinning script
                    .contains("org.luaj.vm2.LuaClosure.execute")
                    .contains("dev.limpet.dataplane.script.ScriptSandbox.run"));
    assertThat(logs.list.stream().filter(e -> e.getLevel() == Level.WARN))
        .singleElement()
        .satisfies(e -> assertThat(e.getFormattedMessage()).contains("makes progress again"));
  }
}
