package dev.limpet.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.TlsClient;
import dev.limpet.dataplane.testing.TlsDocument;
import dev.limpet.testsupport.TestPki;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Certificate files replaced under load, as Kubernetes swaps a mounted Secret: no request fails,
 * new connections get the new certificate without a restart, open connections go on with theirs; a
 * replacement that is bad (garbage, a key of another certificate) leaves the last good one serving.
 */
@Timeout(90)
class CertificateRotationTest {
  private static final TestPki CA = TestPki.authority("rotation-ca");
  private static final String SNI = "shop.example.com";

  @TempDir Path dir;
  private ProxyFixture fx;
  private final ExecutorService load = Executors.newFixedThreadPool(3);

  @AfterEach
  void stop() throws InterruptedException {
    load.shutdownNow();
    load.awaitTermination(10, TimeUnit.SECONDS);
    if (fx != null) fx.close();
  }

  private void start(SslProvider provider) throws Exception {
    CA.issue("v1", List.of(SNI), List.of()).write(dir, "shop");
    fx = new ProxyFixture(2, 171, provider, "a");
    fx.apply(new TlsDocument().file("shop", dir, "shop", "shop").render(fx.servers()));
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void newConnectionsGetTheNewCertificateAndNoRequestFails(SslProvider provider) throws Exception {
    start(provider);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger requests = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Set<String> seenByNewConnections = ConcurrentHashMap.newKeySet();
    TlsClient keptOpen = new TlsClient(CA.clientContext(), fx.port, SNI);
    List<Future<?>> loops =
        List.of(
            load.submit(
                () ->
                    loop(
                        stop,
                        failure,
                        () -> {
                          assertThat(keptOpen.get("/", SNI)).startsWith("HTTP/1.1 200");
                          requests.incrementAndGet();
                        })),
            load.submit(
                () -> loop(stop, failure, () -> connectOnce(seenByNewConnections, requests))),
            load.submit(
                () -> loop(stop, failure, () -> connectOnce(seenByNewConnections, requests))));
    await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() > 50);

    CA.issue("v2", List.of(SNI), List.of()).write(dir, "shop");

    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertThat(seenByNewConnections).contains("v2"));
    int atRotation = requests.get();
    await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() > atRotation + 50);
    stop.set(true);
    for (Future<?> f : loops) f.get(10, TimeUnit.SECONDS);
    assertThat(failure.get()).as("a request failed during the rotation").isNull();
    assertThat(keptOpen.peerName()).as("an open connection keeps its certificate").isEqualTo("v1");
    keptOpen.close();
    assertThat(peer()).isEqualTo("v2");
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void aBadReplacementLeavesTheLastGoodCertificateServing(SslProvider provider) throws Exception {
    start(provider);
    TestPki.writeAtomically(dir.resolve("shop.crt"), "-----BEGIN CERTIFICATE-----\nnonsense\n");
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(peer()).isEqualTo("v1"));

    // a valid certificate, but the key on disk is still v1's
    TestPki.writeAtomically(
        dir.resolve("shop.crt"), CA.issue("v3", List.of(SNI), List.of()).certificatePem());
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(peer()).isEqualTo("v1"));

    CA.issue("v4", List.of(SNI), List.of()).write(dir, "shop");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(peer()).isEqualTo("v4"));
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void loop(AtomicBoolean stop, AtomicReference<Throwable> failure, Step step) {
    while (!stop.get() && failure.get() == null) {
      try {
        step.run();
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      }
    }
  }

  private void connectOnce(Set<String> seen, AtomicInteger requests) {
    try (TlsClient client = new TlsClient(CA.clientContext(), fx.port, SNI)) {
      seen.add(client.peerName());
      assertThat(client.get("/", SNI)).startsWith("HTTP/1.1 200");
      requests.incrementAndGet();
    }
  }

  private String peer() {
    try (TlsClient client = new TlsClient(CA.clientContext(), fx.port, SNI)) {
      return client.peerName();
    }
  }
}
