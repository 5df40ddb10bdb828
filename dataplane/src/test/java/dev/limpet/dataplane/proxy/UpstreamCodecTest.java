package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The upstream codec reads well-formed response heads as bytes and writes scanned requests. */
class UpstreamCodecTest {
  private final EmbeddedChannel channel = codec();

  private static EmbeddedChannel codec() {
    return new EmbeddedChannel(
        new UpstreamCodec(
            new HttpDecoderConfig()
                .setHeadersFactory(SizedHeadersFactory.HEADERS)
                .setTrailersFactory(SizedHeadersFactory.TRAILERS)));
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private void receive(String text) {
    channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
  }

  private String content() {
    HttpContent content = channel.readInbound();
    try {
      return content.content().toString(StandardCharsets.US_ASCII);
    } finally {
      content.release();
    }
  }

  @Test
  void aWellFormedResponseKeepsItsFieldsAsBytes() {
    receive("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Backend: s1\r\n\r\n");
    HttpResponse response = channel.readInbound();
    assertThat(response.status().code()).isEqualTo(200);
    assertThat(response.headers()).isInstanceOf(ReceivedHeaders.class);
    assertThat(response.headers().get("x-backend")).isEqualTo("s1");
    receive("hello");
    assertThat(content()).isEqualTo("hello");
  }

  @Test
  void aResponseReadWithItsWholeBodyIsOneMessage() {
    receive(
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Backend: s1\r\n\r\nhello"
            + "HTTP/1.1 204 No Content\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
    FullHttpResponse first = channel.readInbound();
    assertThat(first.headers()).isInstanceOf(ReceivedHeaders.class);
    assertThat(first.headers().get("x-backend")).isEqualTo("s1");
    assertThat(first.content().toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
    first.release();
    FullHttpResponse empty = channel.readInbound();
    assertThat(empty.status().code()).isEqualTo(204);
    assertThat(empty.content().isReadable()).isFalse();
    empty.release();
    assertThat(content()).isEqualTo("hi");
    assertThat((Object) channel.readInbound()).isNull();
  }

  @Test
  void aResponseWithPartOfItsBodyIsTheHeadThenParts() {
    receive("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel");
    HttpResponse head = channel.readInbound();
    assertThat(head).isNotInstanceOf(HttpContent.class);
    HttpContent part = channel.readInbound();
    assertThat(part).isNotInstanceOf(LastHttpContent.class);
    assertThat(part.content().toString(StandardCharsets.US_ASCII)).isEqualTo("hel");
    part.release();
    receive("lo");
    LastHttpContent last = channel.readInbound();
    assertThat(last.content().toString(StandardCharsets.US_ASCII)).isEqualTo("lo");
    last.release();
  }

  @Test
  void anInterimResponseStaysApartFromTheFinalOne() {
    receive(
        "HTTP/1.1 100 Continue\r\n\r\n"
            + "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    for (int code : new int[] {100, 103}) {
      HttpResponse interim = channel.readInbound();
      assertThat(interim).isNotInstanceOf(HttpContent.class);
      assertThat(interim.status().code()).isEqualTo(code);
      LastHttpContent end = channel.readInbound();
      end.release();
    }
    FullHttpResponse response = channel.readInbound();
    assertThat(response.content().toString(StandardCharsets.US_ASCII)).isEqualTo("ok");
    response.release();
  }

  @Test
  void aResponseToHeadIsOneMessageWithoutTheAnnouncedBody() {
    channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.HEAD, "/"));
    channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
    receive(
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
    FullHttpResponse head = channel.readInbound();
    assertThat(head.content().isReadable()).isFalse();
    assertThat(head.headers().get("content-length")).isEqualTo("5");
    head.release();
    assertThat(content()).isEqualTo("hello");
  }

  @Test
  void aChunkedResponseWithTrailersIsNotMerged() {
    receive("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Sum: 1\r\n\r\n");
    HttpResponse head = channel.readInbound();
    assertThat(head).isNotInstanceOf(HttpContent.class);
    LastHttpContent last = channel.readInbound();
    assertThat(last.trailingHeaders().get("x-sum")).isEqualTo("1");
    last.release();
  }

  @Test
  void aChunkedResponseKeepsItsTrailers() {
    receive(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n0\r\nX-Checksum: 1\r\n\r\n");
    HttpResponse response = channel.readInbound();
    assertThat(response.headers()).isInstanceOf(ReceivedHeaders.class);
    assertThat(content()).isEqualTo("hello");
    LastHttpContent last = channel.readInbound();
    assertThat(last.trailingHeaders().get("x-checksum")).isEqualTo("1");
    last.release();
  }

  @Test
  void afterSwitchingProtocolsTheBytesAreNotReadAsHeads() {
    receive(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    HttpResponse switched = channel.readInbound();
    assertThat(switched.status().code()).isEqualTo(101);
    Object next;
    StringBuilder passed = new StringBuilder();
    while ((next = channel.readInbound()) != null) {
      assertThat(next).isNotInstanceOf(HttpResponse.class);
      if (next instanceof ByteBuf bytes) passed.append(bytes.toString(StandardCharsets.US_ASCII));
      if (next instanceof HttpContent part)
        passed.append(part.content().toString(StandardCharsets.US_ASCII));
      ReferenceCountUtil.release(next);
    }
    assertThat(passed.toString()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  }

  @Test
  void aScannedRequestIsWrittenAsNettyWritesTheSameFields() {
    String fields = "Host: t\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\nAccept: */*\r\n";
    HeadScanner scanner = new HeadScanner(8192);
    assertThat(
            scanner.scan(
                Unpooled.copiedBuffer(
                    "GET / HTTP/1.1\r\n" + fields + "\r\n", StandardCharsets.US_ASCII)))
        .isTrue();
    HttpHeaders netty = DefaultHttpHeadersFactory.headersFactory().newHeaders();
    netty.add("Host", "t").add("Connection", "keep-alive, X-Hop").add("X-Hop", "1");
    netty.add("Accept", "*/*");
    assertThat(written(scanner.takeHeaders())).isEqualTo(written(netty));
  }

  /** The request as the codec writes it, after the edits the proxy makes. */
  private static String written(HttpHeaders headers) {
    HopByHopHeaders.strip(headers, false);
    headers.set("X-Forwarded-For", "127.0.0.1");
    EmbeddedChannel channel = codec();
    channel.writeOutbound(
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", headers));
    ByteBuf bytes = channel.readOutbound();
    try {
      return bytes.toString(StandardCharsets.US_ASCII);
    } finally {
      bytes.release();
    }
  }
}
