package dev.limpet.dataplane.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.dataplane.DataPlane;
import dev.limpet.dataplane.persistence.CookieKeySet;
import dev.limpet.dataplane.testing.FreePorts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The response direction: a server whose framing cannot be trusted gets its client a 502 (or, when
 * the head was already relayed, a closed connection without the end of the body), and its
 * connection is closed, never reused for another request.
 */
@Timeout(60)
class ResponseFramingTest {
  private RecordingBackend backend;
  private DataPlane dataPlane;
  private int port;

  @BeforeEach
  void start() throws Exception {
    backend = new RecordingBackend("127.0.0.173");
    port = FreePorts.next();
    dataPlane = new DataPlane(1, CookieKeySet.random());
    dataPlane.apply(FramingCorpusTest.config(port, backend));
  }

  @AfterEach
  void stop() {
    dataPlane.close();
    backend.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "conflicting-content-lengths|Content-Length: 5\\r\\nContent-Length: 6\\r\\n\\r\\nhello!",
        "identical-content-lengths|Content-Length: 5\\r\\nContent-Length: 5\\r\\n\\r\\nhello",
        "content-length-and-chunked|Content-Length: 5\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n"
            + "5\\r\\nhello\\r\\n0\\r\\n\\r\\n",
        "connection-names-content-length|Connection: content-length\\r\\nContent-Length: 5\\r\\n"
            + "\\r\\nhello",
        "connection-names-transfer-encoding|Connection: Transfer-Encoding\\r\\n"
            + "Transfer-Encoding: chunked\\r\\n\\r\\n5\\r\\nhello\\r\\n0\\r\\n\\r\\n",
      })
  void untrustworthyHeadGets502AndTheConnectionIsClosed(String name, String rest) {
    serve("HTTP/1.1 200 OK\r\n" + rest.replace("\\r\\n", "\r\n"));
    FramingClient.Answer answer = FramingClient.exchange(port, get());
    assertThat(answer.statuses()).isEqualTo("502");
    assertUpstreamClosedAndNotReused();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "chunk-size-not-hex|zz\\r\\nhello\\r\\n0\\r\\n\\r\\n",
        "chunk-data-longer-than-size|3\\r\\nhello\\r\\n0\\r\\n\\r\\n",
        "chunk-data-then-not-crlf|5\\r\\nhelloXY0\\r\\n\\r\\n",
      })
  void brokenChunkingIsNeverRelayedAsAWholeBody(String name, String body) {
    serve("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body.replace("\\r\\n", "\r\n"));
    FramingClient.Answer answer = FramingClient.exchange(port, get());
    assertThat(answer.closed()).isTrue();
    assertThat(answer.responses())
        .singleElement()
        .satisfiesAnyOf(
            r -> assertThat(r.status()).isEqualTo(502),
            r -> assertThat(r.body()).endsWith("<truncated>"));
    assertUpstreamClosedAndNotReused();
  }

  /** The control case: a well-framed server keeps its one connection for both requests. */
  @Test
  void wellFramedResponsesReuseTheConnection() {
    serve("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    assertThat(FramingClient.exchange(port, get()).responses())
        .singleElement()
        .satisfies(r -> assertThat(r.body()).isEqualTo("hello"));
    assertThat(FramingClient.exchange(port, get()).statuses()).isEqualTo("200");
    assertThat(backend.connections()).isOne();
    assertThat(backend.closedConnections()).isZero();
  }

  private void serve(String response) {
    byte[] bytes = response.getBytes(StandardCharsets.ISO_8859_1);
    backend.reply(line -> bytes);
  }

  private static String get() {
    return "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
  }

  /** The server's connection was closed by the proxy, and the next request opens a new one. */
  private void assertUpstreamClosedAndNotReused() {
    await().atMost(Duration.ofSeconds(5)).until(() -> backend.closedConnections() == 1);
    backend.reply(RecordingBackend::echo);
    assertThat(FramingClient.exchange(port, get()).statuses()).isEqualTo("200");
    assertThat(backend.connections()).isEqualTo(2);
  }
}
