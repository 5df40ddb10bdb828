package dev.limpet.dataplane.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.DataPlane;
import dev.limpet.dataplane.framing.FramingClient;
import dev.limpet.dataplane.framing.RecordingBackend;
import dev.limpet.dataplane.persistence.CookieKeySet;
import dev.limpet.dataplane.testing.FreePorts;
import dev.limpet.dataplane.testing.RawH2;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A request's trailer section reaches an HTTP/1.1 server with only the fields the request's {@code
 * Trailer} field declared (RFC 9110 §6.6.2) that neither frame, route, authenticate nor describe a
 * request (§6.5.1) nor name a field of the head, from an HTTP/2 client's trailing HEADERS as from
 * an HTTP/1.1 client's chunked trailers: a server that merges trailers into the header section
 * cannot be told another client address, host, length or tenant than the proxy acted on.
 */
@Timeout(60)
class RequestTrailersTest {
  /** What the request head declares: one harmless field, framing and routing ones, a head field. */
  private static final String DECLARED = "x-checksum, host, content-length, x-tenant, cookie";

  /** Fields a trailer section may carry as far as the frame codec goes; none may pass. */
  private static final List<String> FORBIDDEN =
      List.of(
          "content-length", "5", // declared
          "host", "evil.example", // declared
          "x-tenant", "evil", // declared, and in the head
          "cookie", "session=evil", // declared
          "x-real-ip", "6.6.6.6", // not declared (and names the client)
          "x-user", "evil", // not declared
          "trailer", "x-checksum",
          "te", "trailers",
          "content-type", "text/evil",
          "authorization", "Basic ZXZpbDpldmls",
          "x-forwarded-for", "6.6.6.6",
          "forwarded", "for=6.6.6.6",
          "expect", "100-continue",
          "range", "bytes=0-1");

  private RecordingBackend backend;
  private DataPlane dataPlane;
  private int port;

  @BeforeEach
  void start() throws Exception {
    backend = new RecordingBackend("127.0.0.241");
    port = FreePorts.next();
    dataPlane = new DataPlane(2, CookieKeySet.random());
    dataPlane.apply(
        """
        virtualServices: [{name: web, address: 127.0.0.1, port: %d, pool: web, http2: {enabled: true}}]
        pools: [{name: web, servers: [{ip: %s, port: %d}]}]
        """
            .formatted(port, backend.ip(), backend.port()));
  }

  @AfterEach
  void stop() {
    if (dataPlane != null) dataPlane.close();
    if (backend != null) backend.close();
  }

  /** The trailer section the server received, lower case, after the last chunk. */
  private String receivedTrailers() {
    String received = backend.received();
    int last = received.lastIndexOf("\r\n0\r\n");
    assertThat(last).as("a chunked body ending with a last chunk: " + received).isPositive();
    return received.substring(last + 5).toLowerCase(Locale.ROOT);
  }

  private static void onlyTheChecksumIsLeft(String trailers) {
    assertThat(trailers).contains("x-checksum: abc\r\n");
    for (int i = 0; i < FORBIDDEN.size(); i += 2)
      assertThat(trailers).as(FORBIDDEN.get(i)).doesNotContain(FORBIDDEN.get(i) + ":");
    assertThat(trailers).doesNotContain("evil").doesNotContain("6.6.6.6");
  }

  @Test
  void http2TrailersKeepOnlyFieldsThatMayFollowABody() throws Exception {
    List<String> trailers = new ArrayList<>(List.of("x-checksum", "abc"));
    trailers.addAll(FORBIDDEN);
    try (RawH2 h2 = new RawH2(port)) {
      h2.headers(
          1,
          RawH2.END_HEADERS,
          RawH2.block(
              ":method",
              "POST",
              ":scheme",
              "http",
              ":path",
              "/upload",
              ":authority",
              "a",
              "trailer",
              DECLARED,
              "x-tenant",
              "a"));
      h2.frame(RawH2.DATA, 0, 1, "hello".getBytes());
      h2.headers(
          1, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.block(trailers.toArray(String[]::new)));
      h2.flush();
      assertThat(h2.answer(1, 20).headers().status().toString()).isEqualTo("200");
    }
    assertThat(backend.received()).contains("hello").contains("x-tenant: a\r\n");
    onlyTheChecksumIsLeft(receivedTrailers());
  }

  @Test
  void http1ChunkedTrailersKeepOnlyTheSameFields() {
    StringBuilder trailers = new StringBuilder("X-Checksum: abc\r\n");
    for (int i = 0; i < FORBIDDEN.size(); i += 2)
      trailers.append(FORBIDDEN.get(i)).append(": ").append(FORBIDDEN.get(i + 1)).append("\r\n");
    trailers.append("Transfer-Encoding: chunked\r\nConnection: x-checksum\r\n");
    var answer =
        FramingClient.exchange(
            port,
            "POST /upload HTTP/1.1\r\nHost: web\r\nTransfer-Encoding: chunked\r\n"
                + "Trailer: "
                + DECLARED
                + "\r\nX-Tenant: a\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n"
                + trailers
                + "\r\n");
    assertThat(answer.statuses()).isEqualTo("200");
    String received = receivedTrailers();
    onlyTheChecksumIsLeft(received);
    assertThat(received).doesNotContain("transfer-encoding:").doesNotContain("connection:");
  }

  @Test
  void anUndeclaredFieldIsDroppedEvenWhenHarmless() {
    var answer =
        FramingClient.exchange(
            port,
            "POST /upload HTTP/1.1\r\nHost: web\r\nTransfer-Encoding: chunked\r\n"
                + "Trailer: x-signature\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n"
                + "X-Checksum: abc\r\nX-Signature: sig\r\n\r\n");
    assertThat(answer.statuses()).isEqualTo("200");
    String received = receivedTrailers();
    assertThat(received).contains("x-signature: sig\r\n").doesNotContain("x-checksum");
    assertThat(backend.received().toLowerCase(Locale.ROOT))
        .as("Trailer itself is not forwarded in the head")
        .doesNotContain("trailer:");
  }
}
