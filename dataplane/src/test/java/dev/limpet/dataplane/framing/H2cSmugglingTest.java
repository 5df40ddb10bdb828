package dev.limpet.dataplane.framing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.DataPlane;
import dev.limpet.dataplane.persistence.CookieKeySet;
import dev.limpet.dataplane.testing.FreePorts;
import dev.limpet.dataplane.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * h2c smuggling: a server that switches to {@code h2c} (or to anything the proxy did not offer)
 * would turn the client connection into a tunnel past routing, access lists and scripts. The
 * backend here answers every request with {@code 101 Switching Protocols} to h2c followed by bytes
 * of the new protocol; through the data plane the client gets a 502, never the 101 or those bytes,
 * the next request on the connection never reaches the backend as tunnel bytes, and the backend
 * never sees the client's {@code Upgrade: h2c} or {@code HTTP2-Settings}.
 */
@Timeout(60)
class H2cSmugglingTest {
  private static final String TUNNELED = "TUNNELED-H2-BYTES";
  private static final String H2C_OFFER =
      "GET /public HTTP/1.1\r\nHost: t\r\nConnection: Upgrade, HTTP2-Settings\r\n"
          + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n";

  private RecordingBackend backend;
  private DataPlane dataPlane;
  private int port;

  @BeforeEach
  void start() throws Exception {
    backend = new RecordingBackend("127.0.0.173");
    backend.reply(
        line ->
            ("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
                    + TUNNELED)
                .getBytes(StandardCharsets.ISO_8859_1));
    port = FreePorts.next();
    dataPlane = new DataPlane(1, CookieKeySet.random());
    dataPlane.apply(FramingCorpusTest.config(port, backend));
  }

  @AfterEach
  void stop() {
    dataPlane.close();
    backend.close();
  }

  private String smuggle(String offer) {
    try (RawHttp client = new RawHttp(port)) {
      // the second request would be tunnel bytes to the backend if the switch were relayed
      return client
          .send(offer + "GET /admin HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
          .readUntilClosed();
    }
  }

  @Test
  void anH2cOfferIsNotPassedOnAndASwitchToH2cIsA502NotATunnel() {
    String answer = smuggle(H2C_OFFER);

    assertThat(answer).startsWith("HTTP/1.1 502 ").doesNotContain("101").doesNotContain(TUNNELED);
    String received = backend.received().toLowerCase(Locale.ROOT);
    assertThat(received).startsWith("get /public http/1.1\r\n");
    assertThat(received).doesNotContain("upgrade").doesNotContain("http2-settings");
    assertThat(received).as("nothing after the refused switch").doesNotContain("/admin");
  }

  @Test
  void aWebSocketOfferAnsweredWithASwitchToH2cIsA502NotATunnel() {
    String answer =
        smuggle(
            "GET /ws HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 502 ").doesNotContain(TUNNELED);
    String received = backend.received().toLowerCase(Locale.ROOT);
    assertThat(received).contains("upgrade: websocket\r\n").doesNotContain("/admin");
  }

  @Test
  void anUpgradeOfferInAnyCaseOrListOtherThanWebSocketIsDropped() {
    for (String upgrade : new String[] {"H2C", "h2c, websocket", "websocket/13", "TLS/1.2"}) {
      backend.reset();
      String answer = smuggle(H2C_OFFER.replace("Upgrade: h2c", "Upgrade: " + upgrade));
      assertThat(answer).as(upgrade).startsWith("HTTP/1.1 502 ");
      assertThat(backend.received().toLowerCase(Locale.ROOT))
          .as(upgrade)
          .doesNotContain("upgrade")
          .doesNotContain("http2-settings");
    }
  }
}
