package dev.limpet.dataplane.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.RawH2;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pseudo-header fields a request must carry (RFC 9113 §8.3.1): without one it is malformed, a
 * stream error PROTOCOL_ERROR that reaches no server and leaves the connection open. Its own
 * fixture: the requests that show the connection goes on leave pooled server connections, which
 * would let {@link Http2SmugglingTest}'s bodies race their heads to the server.
 */
@Timeout(60)
class Http2PseudoHeadersTest {
  private static final long PROTOCOL_ERROR = 1;
  private static ProxyFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = new ProxyFixture(2, 245, "a");
    fx.apply(Http2Documents.oneService(fx, "", ""));
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  static Stream<Arguments> missingPseudoHeader() {
    return Stream.of(
        Arguments.of("no :method", RawH2.block(":scheme", "http", ":path", "/", ":authority", "a")),
        Arguments.of("no :scheme", RawH2.block(":method", "GET", ":path", "/", ":authority", "a")),
        Arguments.of(
            "no :path", RawH2.block(":method", "GET", ":scheme", "http", ":authority", "a")),
        Arguments.of("empty :path", RawH2.get("")));
  }

  /** RFC 9113 §8.1.1: a request without a required pseudo-header field is malformed. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("missingPseudoHeader")
  void aMissingPseudoHeaderIsAProtocolError(String name, byte[] block) throws Exception {
    int before = fx.backend("a").requests();
    try (RawH2 h2 = new RawH2(fx.port)) {
      h2.headers(1, RawH2.END_STREAM | RawH2.END_HEADERS, block);
      h2.flush();
      RawH2.Frame answer = h2.answer(1, 20);
      assertThat(answer.type()).as(name).isEqualTo(RawH2.RST_STREAM);
      assertThat(answer.errorCode()).as(name).isEqualTo(PROTOCOL_ERROR);
      // a stream error: the connection goes on
      h2.headers(3, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get("/"));
      h2.flush();
      assertThat(h2.answer(3, 20).headers().status().toString()).isEqualTo("200");
    }
    assertThat(fx.backend("a").requests()).as(name).isEqualTo(before + 1);
  }

  @Test
  void connectWithOnlyAnAuthorityIsNotProxied() throws Exception {
    // CONNECT omits :scheme and :path (RFC 9113 §8.5): well-formed, refused as on HTTP/1.1
    int before = fx.backend("a").requests();
    try (RawH2 h2 = new RawH2(fx.port)) {
      h2.headers(
          1,
          RawH2.END_STREAM | RawH2.END_HEADERS,
          RawH2.block(":method", "CONNECT", ":authority", "a:80"));
      h2.flush();
      assertThat(h2.answer(1, 20).headers().status().toString()).isEqualTo("405");
    }
    assertThat(fx.backend("a").requests()).isEqualTo(before);
  }
}
