package dev.limpet.dataplane.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.RawH2;
import io.netty.handler.codec.http2.Http2Error;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HTTP/2 side of the request-framing corpus: on the h2 → HTTP/1.1 downgrade, a malformed or
 * ambiguous request (RFC 9113 §8.2, §8.3) ends in a stream error or a 4xx and never reaches the
 * server in a form the proxy did not check: CR, LF or NUL in a value, connection-specific fields,
 * upper-case names, pseudo-header fields misused, a body that does not match its content-length, a
 * Host that names another authority.
 *
 * <p>The server counts a request only once it has read the whole of it (a status-only path), which
 * is what "reached" means for a body found malformed mid-stream: the head of a request whose DATA
 * breaks its content-length may already be on its way (the proxy streams bodies, as HAProxy and
 * nginx do), but the server never gets the request's end, and that connection is closed.
 */
@Timeout(60)
class Http2SmugglingTest {
  private static ProxyFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = new ProxyFixture(2, 211, "a");
    fx.apply(Http2Documents.oneService(fx, "", ""));
    fx.backend("a").answer(WHOLE, 200);
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  /** A path the server answers only after reading the whole request (Backend#answer). */
  private static final String WHOLE = "/whole";

  private static final String[] POST = {
    ":method", "POST", ":scheme", "http", ":path", WHOLE, ":authority", "a"
  };

  private static String[] post(String... extra) {
    String[] all = new String[POST.length + extra.length];
    System.arraycopy(POST, 0, all, 0, POST.length);
    System.arraycopy(extra, 0, all, POST.length, extra.length);
    return all;
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("upper-case name", RawH2.get("/", "X-Smuggle", "1"), null),
        Arguments.of("connection", RawH2.get("/", "connection", "keep-alive"), null),
        Arguments.of("transfer-encoding", RawH2.get("/", "transfer-encoding", "chunked"), null),
        Arguments.of("keep-alive", RawH2.get("/", "keep-alive", "timeout=5"), null),
        Arguments.of("upgrade", RawH2.get("/", "upgrade", "websocket"), null),
        Arguments.of("proxy-connection", RawH2.get("/", "proxy-connection", "close"), null),
        Arguments.of("te other than trailers", RawH2.get("/", "te", "gzip"), null),
        Arguments.of("CR LF in a value", RawH2.get("/", "x-a", "1\r\nx-b: 2"), null),
        Arguments.of("LF in a value", RawH2.get("/", "x-a", "1\nGET / HTTP/1.1"), null),
        Arguments.of("NUL in a value", RawH2.get("/", "x-a", "1\0"), null),
        Arguments.of("space in a name", RawH2.get("/", "x a", "1"), null),
        Arguments.of(
            "pseudo-header after a regular field",
            RawH2.block(":method", "GET", ":scheme", "http", "x-a", "1", ":path", "/"),
            null),
        Arguments.of("unknown pseudo-header", RawH2.get("/", ":foo", "1"), null),
        Arguments.of("response pseudo-header", RawH2.get("/", ":status", "200"), null),
        Arguments.of(
            "two :path",
            RawH2.block(":method", "GET", ":scheme", "http", ":path", "/", ":path", "/x"),
            null),
        Arguments.of("no :path", RawH2.block(":method", "GET", ":scheme", "http"), null),
        Arguments.of(
            "host naming another authority", RawH2.get("/", "host", "other.example"), null),
        Arguments.of(
            "content-length longer than the body",
            RawH2.block(post("content-length", "20")),
            "hello"),
        Arguments.of(
            "content-length shorter than the body",
            RawH2.block(post("content-length", "2")),
            "hello, world"),
        Arguments.of(
            "two content-length",
            RawH2.block(post("content-length", "5", "content-length", "6")),
            "hello"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void isRefusedAndNeverForwarded(String name, byte[] block, String body) throws Exception {
    int before = fx.backend("a").requests();
    try (RawH2 h2 = new RawH2(fx.port)) {
      h2.headers(1, (body == null ? RawH2.END_STREAM : 0) | RawH2.END_HEADERS, block);
      if (body != null) h2.frame(RawH2.DATA, RawH2.END_STREAM, 1, body.getBytes());
      h2.flush();
      RawH2.Frame answer = h2.answer(1, 20);
      if (answer != null && answer.type() == RawH2.HEADERS)
        assertThat(answer.headers().status().toString()).as(name).startsWith("4");
    }
    assertThat(fx.backend("a").requests()).as(name).isEqualTo(before);
  }

  /**
   * A head Netty's conversion refuses (here a Host that names another authority than {@code
   * :authority}, RFC 9113 §8.3.1) is malformed, and a malformed request is a stream error of type
   * PROTOCOL_ERROR (§8.1.1): not CANCEL, which tells a client the proxy gave up on a good request.
   */
  @Test
  void aHostNamingAnotherAuthorityIsAProtocolError() throws Exception {
    int before = fx.backend("a").requests();
    try (RawH2 h2 = new RawH2(fx.port)) {
      h2.headers(1, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get("/", "host", "other.example"));
      h2.flush();
      RawH2.Frame answer = h2.answer(1, 20);
      assertThat(answer).isNotNull();
      assertThat(answer.type()).isEqualTo(RawH2.RST_STREAM);
      assertThat(answer.errorCode()).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
    }
    assertThat(fx.backend("a").requests()).isEqualTo(before);
  }

  @Test
  void wellFormedRequestsGoThrough() throws Exception {
    try (RawH2 h2 = new RawH2(fx.port)) {
      h2.headers(1, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get("/", "te", "trailers"));
      h2.flush();
      assertThat(h2.answer(1, 20).headers().status().toString()).isEqualTo("200");
      h2.headers(3, RawH2.END_HEADERS, RawH2.block(post("content-length", "5")));
      h2.frame(RawH2.DATA, RawH2.END_STREAM, 3, "hello".getBytes());
      h2.flush();
      assertThat(h2.answer(3, 20).headers().status().toString()).isEqualTo("200");
      h2.headers(5, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get("/", "host", "a"));
      h2.flush();
      assertThat(h2.answer(5, 20).headers().status().toString()).isEqualTo("200");
    }
  }
}
