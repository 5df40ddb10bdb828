package dev.limpet.dataplane.framing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.DataPlane;
import dev.limpet.dataplane.persistence.CookieKeySet;
import dev.limpet.dataplane.testing.FreePorts;
import dev.limpet.dataplane.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, finding 1: an attacker and a victim on the same event loop share the pooled upstream
 * connection. {@code Connection: Content-Length} must not make the attacker's body the start of the
 * victim's request.
 */
@Timeout(60)
class HijackTest {
  private static final String SMUGGLED = "GET /SMUGGLED-admin HTTP/1.1\r\nHost: t\r\nX-Ignore: ";

  private RecordingBackend backend;
  private DataPlane dataPlane;
  private int port;

  @BeforeEach
  void start() throws Exception {
    backend = new RecordingBackend("127.0.0.172");
    port = FreePorts.next();
    dataPlane = new DataPlane(1, CookieKeySet.random()); // one event loop: one upstream pool
    dataPlane.apply(FramingCorpusTest.config(port, backend));
  }

  @AfterEach
  void stop() {
    dataPlane.close();
    backend.close();
  }

  @Test
  void connectionContentLengthCannotHijackTheNextClient() {
    try (RawHttp attacker = new RawHttp(port);
        RawHttp victim = new RawHttp(port)) {
      String attack =
          attacker
              .send(
                  "POST /attacker HTTP/1.1\r\nHost: t\r\nConnection: Content-Length\r\n"
                      + "Content-Length: "
                      + SMUGGLED.length()
                      + "\r\n\r\n"
                      + SMUGGLED)
              .readUntil("POST /attacker HTTP/1.1");
      assertThat(attack).startsWith("HTTP/1.1 200 ");

      String answer =
          victim
              .send(
                  "GET /victim1 HTTP/1.1\r\nHost: t\r\nCookie: session=secret\r\n"
                      + "Connection: close\r\n\r\n")
              .readUntilClosed();
      assertThat(FramingClient.parse(answer))
          .singleElement()
          .satisfies(r -> assertThat(r.body()).isEqualTo("GET /victim1 HTTP/1.1"));
    }
    assertThat(backend.connections()).as("the two requests shared one upstream connection").isOne();
    assertThat(backend.requestLines())
        .containsExactly("POST /attacker HTTP/1.1", "GET /victim1 HTTP/1.1");
  }
}
