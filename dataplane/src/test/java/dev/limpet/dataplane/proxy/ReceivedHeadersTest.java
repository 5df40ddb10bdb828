package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@link ReceivedHeaders} answers and edits as Netty's {@code DefaultHttpHeaders} does. */
class ReceivedHeadersTest {
  private static final String FIELDS =
      "Host: example.test\r\nX-Twice: a\r\nAccept:  */* \t\r\nx-twice:b\r\nEmpty:\r\n"
          + "Connection: close, X-Named\r\nX-Named: 1\r\n";

  /** The fields above, scanned. */
  private static ReceivedHeaders received() {
    ByteBuf head =
        Unpooled.copiedBuffer("GET / HTTP/1.1\r\n" + FIELDS + "\r\n", StandardCharsets.US_ASCII);
    HeadScanner scanner = new HeadScanner(8192);
    assertThat(scanner.scan(head)).isTrue();
    return scanner.takeHeaders();
  }

  /** The same fields in Netty's container, added as its decoder adds them (values trimmed). */
  private static HttpHeaders netty() {
    HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().newHeaders();
    for (String line : FIELDS.split("\r\n")) {
      int colon = line.indexOf(':');
      headers.add(line.substring(0, colon), line.substring(colon + 1).strip());
    }
    return headers;
  }

  /** Applies {@code edit} to both containers; their fields, in order, must be the same after. */
  private static void same(Consumer<HttpHeaders> edit) {
    ReceivedHeaders received = received();
    HttpHeaders netty = netty();
    edit.accept(received);
    edit.accept(netty);
    assertThat(received.entries()).isEqualTo(netty.entries());
    assertThat(received.size()).isEqualTo(netty.size());
    assertThat(received.isEmpty()).isEqualTo(netty.isEmpty());
    assertThat(received.names()).containsExactlyInAnyOrderElementsOf(netty.names());
    assertThat(encoded(received)).isEqualTo(nettyEncoded(netty));
    for (String name : List.of("host", "X-TWICE", "accept", "empty", "x-named", "X-Added", "no"))
      same(received, netty, name);
  }

  private static void same(ReceivedHeaders received, HttpHeaders netty, String name) {
    assertThat(received.get(name)).as(name).isEqualTo(netty.get(name));
    assertThat(received.getAll(name)).as(name).isEqualTo(netty.getAll(name));
    assertThat(received.contains(name)).as(name).isEqualTo(netty.contains(name));
    assertThat(received.contains(AsciiString.of(name))).isEqualTo(netty.contains(name));
  }

  private static String encoded(ReceivedHeaders headers) {
    ByteBuf out = Unpooled.buffer();
    headers.writeTo(out);
    return out.toString(StandardCharsets.US_ASCII);
  }

  /** What Netty's encoder writes for a header block: {@code name: value} CRLF each. */
  private static String nettyEncoded(HttpHeaders headers) {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, String> field : headers)
      text.append(field.getKey()).append(": ").append(field.getValue()).append("\r\n");
    return text.toString();
  }

  @Test
  void readsAsReceived() {
    same(headers -> {});
    ReceivedHeaders received = received();
    assertThat(received.get("accept")).isEqualTo("*/*");
    assertThat(received.getAll("x-twice")).containsExactly("a", "b");
    assertThat(received.get("empty")).isEmpty();
    // a value asked twice is one String
    assertThat(received.get("host")).isSameAs(received.get("HOST"));
  }

  @Test
  void editsKeepNettysOrder() {
    same(headers -> headers.remove("x-twice"));
    same(headers -> headers.set("Host", "other.test"));
    same(headers -> headers.add("X-Added", "1").add("X-Added", 2).set("accept", "text/html"));
    same(headers -> headers.add("X-Added", "1").remove("x-added").add("X-Added", "3"));
    same(headers -> headers.set("X-Twice", List.of("c", "d")));
    same(headers -> headers.setInt("X-Added", 7).addShort("X-Added", (short) 8));
    same(headers -> headers.clear().add("X-Added", "after clear"));
    same(headers -> HopByHopHeaders.strip(headers, false));
    same(
        headers -> {
          for (int i = 0; i < 10; i++) headers.add("X-Added", i); // past the first array
        });
  }

  @Test
  void addedFieldsAreValidatedAsNettysAre() {
    ReceivedHeaders received = received();
    assertThatThrownBy(() -> received.add("X-Bad", "a\r\nInjected: 1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> received.set("Bad Name", "a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(received.contains("Injected")).isFalse();
    assertThat(received.size()).isEqualTo(netty().size());
  }

  @Test
  void aRefusedSetLeavesTheHeadersUnchanged() {
    ReceivedHeaders received = received();
    HttpHeaders before = received.copy();
    assertThatThrownBy(() -> received.set("Host", "a\r\nInjected: 1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> received.set("X-Twice", List.of("c", "d\ne")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(received.entries()).isEqualTo(before.entries());
    assertThat(received.get("host")).isEqualTo("example.test");
    assertThat(received.getAll("x-twice")).containsExactly("a", "b");
    // the same for an added field
    received.add("X-Added", "1");
    assertThatThrownBy(() -> received.set("x-added", "\0"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(received.getAll("X-Added")).containsExactly("1");
    // Netty's container keeps the field too
    HttpHeaders netty = netty();
    assertThatThrownBy(() -> netty.set("Host", "a\r\nInjected: 1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(netty.get("host")).isEqualTo("example.test");
  }

  @Test
  void numbersAndCopies() {
    ReceivedHeaders received = received();
    received.set("X-Number", 42);
    assertThat(received.getInt("x-number")).isEqualTo(42);
    assertThat(received.getInt("host")).isNull();
    assertThat(received.getShort("x-number", (short) 1)).isEqualTo((short) 42);
    HttpHeaders copy = received.copy();
    assertThat(received.entries()).isEqualTo(copy.entries());
    assertThat(received.containsValue("connection", "x-named", true)).isTrue();
  }
}
