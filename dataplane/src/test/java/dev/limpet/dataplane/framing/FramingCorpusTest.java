package dev.limpet.dataplane.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.dataplane.DataPlane;
import dev.limpet.dataplane.persistence.CookieKeySet;
import dev.limpet.dataplane.testing.FreePorts;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The framing corpus against a real data plane (one event loop) in front of a backend that records
 * the exact bytes it receives: each case asserts what the client got and what reached the backend.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FramingCorpusTest {
  private RecordingBackend backend;
  private DataPlane dataPlane;
  private int port;

  @BeforeAll
  void start() throws Exception {
    backend = new RecordingBackend("127.0.0.171");
    port = FreePorts.next();
    dataPlane = new DataPlane(1, CookieKeySet.random());
    dataPlane.apply(virtualService(port, backend));
  }

  /** The configuration the corpus runs against. */
  String virtualService(int port, RecordingBackend backend) {
    return config(port, backend);
  }

  /** One virtual service on {@code port} in front of {@code backend}. */
  static String config(int port, RecordingBackend backend) {
    return """
        virtualServices:
          - {name: web, address: 127.0.0.1, port: %d, pool: web}
        pools:
          - name: web
            servers: [{name: b, ip: %s, port: %d}]
        """
        .formatted(port, backend.ip(), backend.port());
  }

  @AfterAll
  void stop() {
    dataPlane.close();
    backend.close();
  }

  Stream<FramingCase> cases() {
    return FramingCorpus.CASES.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void corpusCase(FramingCase c) {
    backend.reset();
    int closedBefore = backend.closedConnections();
    FramingClient.Answer answer = FramingClient.exchange(port, c.request());

    assertThat(answer.statuses()).as("statuses the client got").isEqualTo(c.statuses());
    assertThat(answer.closed()).as("connection closed").isTrue();
    switch (c.backend()) {
      case FramingCase.NOTHING -> assertThat(backend.received()).isEmpty();
      case FramingCase.ABORTED -> {
        assertThat(backend.requestLines()).as("whole requests upstream").isEmpty();
        if (!backend.received().isEmpty())
          await()
              .atMost(Duration.ofSeconds(5))
              .until(() -> backend.closedConnections() > closedBefore);
      }
      default ->
          await()
              .atMost(Duration.ofSeconds(5))
              .untilAsserted(
                  () -> assertThat(backend.received()).isEqualTo(expected(c.backend(), port)));
    }
  }

  /** {@code backend} with the forwarded fields the data plane adds for a client on 127.0.0.1. */
  static String expected(String backend, int port) {
    return backend.replace(
        FramingCorpus.FWD,
        "x-forwarded-for: 127.0.0.1\r\nx-forwarded-proto: http\r\nx-forwarded-port: "
            + port
            + "\r\n");
  }

  @Test
  void corpusNamesAreUnique() {
    List<String> names = FramingCorpus.CASES.stream().map(FramingCase::name).toList();
    assertThat(names).doesNotHaveDuplicates();
  }
}
