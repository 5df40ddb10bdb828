package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client connection's decoding stages ({@link FrontendCodec} and {@link RequestFraming}) on an
 * {@code EmbeddedChannel}: what they refuse, with which status, and that valid messages pass
 * whatever way their bytes are split across reads.
 */
class RequestFramingTest {
  private static final String CHUNKED =
      "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";

  /** What the proxy handler would see: "ok", or the refusal status, per decoded object. */
  private static List<String> decode(boolean byteByByte, String raw) {
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new FrontendCodec(new HttpDecoderConfig().setStrictLineParsing(true)),
            RequestFraming.INSTANCE);
    byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
    if (byteByByte) for (byte b : bytes) ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    else ch.writeInbound(Unpooled.wrappedBuffer(bytes));
    List<String> seen = new ArrayList<>();
    for (Object msg; (msg = ch.readInbound()) != null; ) {
      HttpObject o = (HttpObject) msg;
      String kind =
          o instanceof HttpRequest r
              ? "head " + r.uri()
              : o instanceof LastHttpContent ? "last" : "body";
      if (o instanceof HttpContent c && !(o instanceof LastHttpContent) && c.content().isReadable())
        kind += " " + c.content().toString(StandardCharsets.ISO_8859_1);
      if (o.decoderResult().isFailure())
        kind =
            o.decoderResult().cause() instanceof FramingException f
                ? "refused " + f.status().code()
                : "malformed";
      seen.add(kind);
      ReferenceCountUtil.release(msg);
    }
    ch.finishAndReleaseAll();
    return seen;
  }

  private static String firstRefusal(String raw) {
    return decode(false, raw).stream()
        .filter(s -> !s.startsWith("head") && !s.startsWith("body") && !s.equals("last"))
        .findFirst()
        .orElse("none");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void validChunkedBodyAndPipelinedRequestPassWhateverTheSplit(boolean byteByByte) {
    String raw =
        CHUNKED
            + "5;ext=1\r\nhello\r\n1\r\n!\r\n0000000000000003\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n"
            + "GET /b HTTP/1.1\r\nHost: t\r\n\r\n";
    List<String> seen = decode(byteByByte, raw);
    assertThat(seen).first().isEqualTo("head /a");
    assertThat(
            String.join(
                "",
                seen.stream().filter(s -> s.startsWith("body ")).map(s -> s.substring(5)).toList()))
        .isEqualTo("hello!abc");
    assertThat(seen)
        .contains("head /b")
        .doesNotContain("malformed")
        .noneMatch(s -> s.startsWith("refused"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void chunkSizeThatWouldWrapIsRefusedWhateverTheSplit(boolean byteByByte) {
    assertThat(decode(byteByByte, CHUNKED + "10000000000000005\r\nhello\r\n0\r\n\r\n"))
        .contains("refused 400")
        .noneMatch(s -> s.startsWith("body"));
    assertThat(decode(byteByByte, CHUNKED + "80000000\r\nhello\r\n0\r\n\r\n"))
        .contains("refused 400");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void obsFoldIsRefusedWhateverTheSplit(boolean byteByByte) {
    assertThat(decode(byteByByte, "GET /a HTTP/1.1\r\nHost: t\r\nX-A: 1\r\n\t2\r\n\r\n"))
        .containsExactly("refused 400");
  }

  @Test
  void chunkDecodingFailureEndsTheBodyAsAFailure() {
    assertThat(decode(false, CHUNKED + "zz\r\nhello\r\n0\r\n\r\n"))
        .containsExactly("head /a", "malformed");
    // chunk-size is 1*HEXDIG: Netty 4.2.18 refuses whitespace before it too
    assertThat(decode(false, CHUNKED + " 5\r\nhello\r\n0\r\n\r\n"))
        .containsExactly("head /a", "malformed");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GET /a HTTP/2.0|505",
        "GET /a http/1.1|505",
        "GET /a HTTP/9.9|505",
        "GET /a HTTP|400",
        "CONNECT t:443 HTTP/1.1|405",
        "GET http://u@t/a HTTP/1.1|400",
        "GET ftp://t/a HTTP/1.1|400",
        "GET http://other/a HTTP/1.1|400",
        "GET a HTTP/1.1|400",
      })
  void requestLineRefusals(String line, int status) {
    assertThat(firstRefusal(line + "\r\nHost: t\r\n\r\n")).isEqualTo("refused " + status);
  }

  /**
   * {@code malformed}: Netty's decoder (4.2.18) refuses the head itself when chunked is not the one
   * final transfer coding (RFC 9112 section 6.3 asks for 400), before RequestFraming; the client
   * gets 400 (FramingCorpusTest).
   */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Transfer-Encoding: xchunked|malformed",
        "Transfer-Encoding: chunked, identity|malformed",
        "Transfer-Encoding: gzip, chunked|refused 400",
        "Transfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked|malformed",
        "Transfer-Encoding: chunked\\r\\nContent-Length: 5|refused 400",
        "Content-Length: 5\\r\\nTransfer-Encoding: chunked|refused 400",
        "Transfer-Encoding: identity\\r\\nContent-Length: 5|malformed",
        "Host: u|refused 400",
      })
  void headerRefusals(String fields, String refusal) {
    String raw =
        "POST /a HTTP/1.1\r\nHost: t\r\n" + fields.replace("\\r\\n", "\r\n") + "\r\n\r\n0\r\n\r\n";
    assertThat(firstRefusal(raw)).isEqualTo(refusal);
  }

  @Test
  void controlAndNonAsciiBytesInTheTargetAreRefusedNotReEncoded() {
    for (char c : new char[] {0, 1, 0x7f, 0xff, 0x80})
      assertThat(firstRefusal("GET /a" + c + "b HTTP/1.1\r\nHost: t\r\n\r\n"))
          .as("byte %x", (int) c)
          .isIn("refused 400", "malformed");
  }

  @Test
  void missingHostIsRefusedOnHttp11Only() {
    assertThat(firstRefusal("GET /a HTTP/1.1\r\n\r\n")).isEqualTo("refused 400");
    assertThat(firstRefusal("GET /a HTTP/1.0\r\n\r\n")).isEqualTo("none");
  }

  @Test
  void absoluteFormAuthorityReplacesHost() {
    EmbeddedChannel ch =
        new EmbeddedChannel(new FrontendCodec(new HttpDecoderConfig()), RequestFraming.INSTANCE);
    ch.writeInbound(
        Unpooled.copiedBuffer(
            "GET HTTP://shop.example:8080?x=1 HTTP/1.1\r\nHost: SHOP.example:8080\r\n\r\n",
            StandardCharsets.ISO_8859_1));
    HttpRequest request = ch.readInbound();
    assertThat(request.decoderResult().isSuccess()).isTrue();
    assertThat(request.uri()).isEqualTo("/?x=1");
    assertThat(request.headers().getAll("host")).containsExactly("shop.example:8080");
    ch.finishAndReleaseAll();
  }

  @Test
  void onlyAWebSocketUpgradeIsKept() {
    EmbeddedChannel ch =
        new EmbeddedChannel(new FrontendCodec(new HttpDecoderConfig()), RequestFraming.INSTANCE);
    ch.writeInbound(
        Unpooled.copiedBuffer(
            "GET /a HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: h2c\r\nHTTP2-Settings: x\r\n\r\n"
                + "GET /b HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: WebSocket\r\n\r\n",
            StandardCharsets.ISO_8859_1));
    HttpRequest h2c = ch.readInbound();
    assertThat(h2c.headers().contains("upgrade")).isFalse();
    assertThat(h2c.headers().contains("http2-settings")).isFalse();
    ReferenceCountUtil.release(ch.readInbound());
    HttpRequest ws = ch.readInbound();
    assertThat(ws.headers().get("upgrade")).isEqualTo("WebSocket");
    ch.finishAndReleaseAll();
  }
}
