package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link HeadScanner} takes plainly well-formed heads only, and leaves every other to Netty. */
class HeadScannerTest {
  private static ByteBuf bytes(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
  }

  @Test
  void readsAWellFormedHeadAndSaysWhereItEnds() {
    String head = "GET /a HTTP/1.1\r\nHost: t\r\nX-A:\tb c \r\n\r\n";
    ByteBuf in = bytes(head + "next");
    HeadScanner scanner = new HeadScanner(8192);
    assertThat(scanner.scan(in)).isTrue();
    assertThat(scanner.lineEnd()).isEqualTo("GET /a HTTP/1.1\r\n".length());
    assertThat(scanner.headEnd()).isEqualTo(head.length());
    ReceivedHeaders fields = scanner.takeHeaders();
    assertThat(fields.get("x-a")).isEqualTo("b c");
    assertThat(fields.size()).isEqualTo(2);
    assertThat(in.readerIndex()).isZero(); // the decoder consumes, not the scanner
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GET /a HTTP/1.1\r\nHost: t\r\n", // partial
        "\r\nGET /a HTTP/1.1\r\nHost: t\r\n\r\n", // leading CRLF: the decoder's rule
        "GET /a HTTP/1.1\nHost: t\r\n\r\n", // bare LF after the request line
        "GET /a HTTP/1.1\r\nHost: t\n\r\n", // bare LF after a field
        "GET /a HTTP/1.1\r\nHost: t\r\n\n", // bare LF as the blank line
        "GET /a HTTP/1.1\r\nHost : t\r\n\r\n", // space before the colon
        "GET /a HTTP/1.1\r\nHost: t\r\n folded\r\n\r\n", // obs-fold
        "GET /a HTTP/1.1\r\nHost: t\rX: y\r\n\r\n", // CR inside a line
        "GET /a HTTP/1.1\r\nHost: t\u0001\r\n\r\n", // control byte
        "GET /a HTTP/1.1\r\nHost: t\u007f\r\n\r\n", // DEL
        "GET /a HTTP/1.1\r\nHost: t\u00ff\r\n\r\n", // not ASCII
        "GET /a HTTP/1.1\r\nHo\"st: t\r\n\r\n", // not a token
        "GET /a HTTP/1.1\r\n: t\r\n\r\n", // no name
        "GET /a HTTP/1.1\r\nHost t\r\n\r\n", // no colon
      })
  void declinesWhatIsNotPlainlyWellFormed(String head) {
    assertThat(new HeadScanner(8192).scan(bytes(head))).isFalse();
  }

  @Test
  void declinesTooManyOrTooLargeFields() {
    StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\n");
    for (int i = 0; i <= ReceivedHeaders.MAX_FIELDS; i++)
      many.append("X-").append(i).append(": 1\r\n");
    assertThat(new HeadScanner(8192).scan(bytes(many + "\r\n"))).isFalse();
    String large = "GET / HTTP/1.1\r\nX: " + "a".repeat(100) + "\r\n\r\n";
    assertThat(new HeadScanner(64).scan(bytes(large))).isFalse();
    assertThat(new HeadScanner(200).scan(bytes(large))).isTrue();
  }
}
