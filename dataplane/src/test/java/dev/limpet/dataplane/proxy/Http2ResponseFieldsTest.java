package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Http2ResponseFields} makes of a response head what Netty's conversion makes of it. */
class Http2ResponseFieldsTest {

  /** A server's response head as the upstream decoder reads it (fields as received bytes). */
  private static HttpResponse scanned(String fields) {
    ByteBuf head =
        Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\n" + fields + "\r\n", StandardCharsets.US_ASCII);
    HeadScanner scanner = new HeadScanner(8192);
    assertThat(scanner.scan(head)).isTrue();
    return new DefaultHttpResponse(
        HttpVersion.HTTP_1_1, HttpResponseStatus.OK, scanner.takeHeaders());
  }

  private static List<String> lines(Http2Headers headers) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<CharSequence, CharSequence> field : headers)
      out.add(field.getKey() + ": " + field.getValue());
    return out;
  }

  @Test
  void namesLoweredAndConnectionFieldsDroppedAsNettyDoes() {
    String fields =
        "Content-Type: text/plain\r\nContent-Length: 100\r\nKeep-Alive: timeout=5\r\n"
            + "Transfer-Encoding: chunked\r\nUpgrade: h2c\r\nProxy-Connection: x\r\n"
            + "X-Backend: s1\r\nSet-Cookie: a=b\r\nx-backend: s2\r\nDATE: today\r\n";
    HttpResponse response = scanned(fields);

    List<String> ours = lines(Http2ResponseFields.of(response));

    assertThat(ours)
        .containsExactly(
            ":status: 200",
            "content-type: text/plain",
            "content-length: 100",
            "x-backend: s1",
            "set-cookie: a=b",
            "x-backend: s2",
            "date: today");
    assertThat(ours).isEqualTo(lines(HttpConversionUtil.toHttp2Headers(response, true)));
  }

  @Test
  void fieldsNamedByConnectionGoAsInNetty() {
    HttpResponse response =
        scanned("Connection: keep-alive, X-Hop\r\nX-Hop: 1\r\nX-Kept: 2\r\nTE: trailers\r\n");

    List<String> ours = lines(Http2ResponseFields.of(response));

    assertThat(ours).doesNotContain("x-hop: 1").contains("x-kept: 2");
    assertThat(ours).isEqualTo(lines(HttpConversionUtil.toHttp2Headers(response, true)));
  }

  @Test
  void aLoweredNameIsKeptForTheNextResponse() {
    CharSequence first = onlyName(Http2ResponseFields.of(scanned("Content-Type: a\r\n")));
    CharSequence second = onlyName(Http2ResponseFields.of(scanned("Content-Type: b\r\n")));

    assertThat(second).hasToString("content-type").isSameAs(first);
  }

  /** The name of the only field that is not a pseudo-header. */
  private static CharSequence onlyName(Http2Headers headers) {
    CharSequence found = null;
    for (Map.Entry<CharSequence, CharSequence> field : headers)
      if (field.getKey().charAt(0) != ':') found = field.getKey();
    return found;
  }
}
