package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.testing.Client;
import dev.limpet.dataplane.testing.FreePorts;
import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.RawHttp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Reloads under load lose no request and keep persistence tables and pinned clients. */
@Timeout(120)
class HotReloadTest {
  private static final int RELOADS = 20;
  private static final int REQUESTS_PER_CLIENT = 300;
  private ProxyFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  @Test
  void reloadsUnderLoadLoseNothing() throws Exception {
    fx = new ProxyFixture(2, 81, "a", "b", "c", "d");
    int otherPort = FreePorts.next();
    fx.apply(config(0, otherPort));

    Map<String, String> pinned = new HashMap<>();
    for (int c = 1; c <= 10; c++)
      pinned.put("127.0.5." + c, RawHttp.backendFor("127.0.5." + c, fx.port, "/"));
    int entriesBefore = fx.dataPlane.tables().table("persistence/sticky/web").size();
    assertThat(entriesBefore).isGreaterThanOrEqualTo(10);

    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger done = new AtomicInteger();
    ExecutorService load = Executors.newFixedThreadPool(4);
    List<Future<?>> clients = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      boolean slow = t == 0;
      clients.add(
          load.submit(
              () -> {
                Client client = new Client(fx.port);
                for (int i = 0; i < (slow ? 30 : REQUESTS_PER_CLIENT); i++) {
                  try {
                    var r = client.get(slow ? "/slow?ms=100" : "/");
                    if (r.statusCode() != 200) failures.add("status " + r.statusCode());
                  } catch (RuntimeException e) {
                    failures.add(e.toString());
                  }
                  done.incrementAndGet();
                }
              }));
    }
    for (int v = 1; v <= RELOADS; v++) {
      fx.apply(config(v, otherPort));
      Thread.sleep(50); // pacing between reloads, not a wait for an outcome
    }
    for (Future<?> f : clients) f.get(60, TimeUnit.SECONDS);
    load.shutdown();

    assertThat(failures).isEmpty();
    assertThat(done.get()).isEqualTo(3 * REQUESTS_PER_CLIENT + 30);
    assertThat(fx.dataPlane.current().version()).isEqualTo(Integer.toString(RELOADS));
    assertThat(fx.dataPlane.tables().table("persistence/sticky/web").size())
        .isGreaterThanOrEqualTo(entriesBefore);
    pinned.forEach(
        (client, server) ->
            assertThat(RawHttp.backendFor(client, fx.port, "/")).as(client).isEqualTo(server));
  }

  @Test
  void aBadConfigurationIsRefusedAndTheLastGoodOneKeepsServing() throws Exception {
    fx = new ProxyFixture(1, 81, "a", "b", "c", "d");
    fx.apply(config(1, FreePorts.next()));
    fx.dataPlane.reload("virtualServices: [{name: web, port: 99999, pool: nowhere}]");
    fx.dataPlane.reload("{not yaml");
    assertThat(fx.dataPlane.current().version()).isEqualTo("1");
    assertThat(fx.client().get("/").statusCode()).isEqualTo(200);
  }

  /**
   * Version {@code v}: server d comes and goes, a's ratio changes, a second listener opens and
   * closes.
   */
  private String config(int v, int otherPort) {
    String d = v % 2 == 1 ? ", {name: d, ip: ${b3.ip}, port: ${b3.port}}" : "";
    String other =
        v % 3 == 1
            ? "  - {name: other, address: 127.0.0.1, port: " + otherPort + ", pool: web}\n"
            : "";
    return fx.render(
        """
        version: "%d"
        virtualServices:
          - {name: web, address: 127.0.0.1, port: ${port}, pool: web}
        %s
        pools:
          - name: web
            persistenceProfile: sticky
            servers: [{name: a, ip: ${b0.ip}, port: ${b0.port}, ratio: %d}, {name: b, ip: ${b1.ip}, port: ${b1.port}}, {name: c, ip: ${b2.ip}, port: ${b2.port}}%s]
        persistenceProfiles:
          - {name: sticky, type: ClientIP}
        """
            .formatted(v, other, 1 + v % 3, d));
  }
}
