package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.RawHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A drain (SIGTERM) lets requests in flight finish and closes everything else. */
@Timeout(60)
class DrainTest {
  private ProxyFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  @Test
  void inFlightRequestsFinishIdleConnectionsCloseNewOnesAreRefused() throws Exception {
    fx = new ProxyFixture(2, 101, "a");
    fx.apply(
        """
        virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web}]
        pools: [{name: web, servers: [{ip: ${b0.ip}, port: ${b0.port}}]}]
        """);
    try (RawHttp idle = new RawHttp(fx.port)) {
      idle.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").readUntil("backend=a");
      CompletableFuture<HttpResponse<String>> slow =
          CompletableFuture.supplyAsync(() -> fx.client().get("/slow?ms=1500"));
      await().atMost(Duration.ofSeconds(5)).until(() -> fx.backend("a").requests() == 2);

      CompletableFuture<Void> drain =
          CompletableFuture.runAsync(
              () -> {
                try {
                  fx.dataPlane.drain(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      assertThat(idle.ending()).isEqualTo("FIN");
      assertThat(fx.dataPlane.ready()).isFalse();
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThatThrownBy(() -> new RawHttp(fx.port)).isNotNull());

      HttpResponse<String> finished = slow.get();
      assertThat(finished.statusCode()).isEqualTo(200);
      assertThat(finished.headers().firstValue("connection")).hasValue("close");
      drain.get();
    }
  }
}
