package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client codec writes a whole response (one message, as {@link UpstreamCodec} reads a small
 * one) as the same bytes as its head and body sent apart, with the relay's void promise or another.
 */
class FrontendCodecTest {
  private final EmbeddedChannel channel =
      new EmbeddedChannel(new FrontendCodec(new HttpDecoderConfig()));

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private void requests(String... methods) {
    StringBuilder text = new StringBuilder();
    for (String method : methods) text.append(method).append(" / HTTP/1.1\r\nHost: t\r\n\r\n");
    channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    Object read;
    while ((read = channel.readInbound()) != null) ReferenceCountUtil.release(read);
  }

  private static FullHttpResponse response(String body, String... fields) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.OK,
            Unpooled.copiedBuffer(body, StandardCharsets.US_ASCII));
    for (int i = 0; i < fields.length; i += 2) response.headers().add(fields[i], fields[i + 1]);
    return response;
  }

  private String written() {
    channel.flushOutbound();
    StringBuilder text = new StringBuilder();
    ByteBuf bytes;
    while ((bytes = channel.readOutbound()) != null) {
      text.append(bytes.toString(StandardCharsets.US_ASCII));
      bytes.release();
    }
    return text.toString();
  }

  @Test
  void aWholeResponseIsItsHeadThenItsBody() {
    requests("GET", "GET");
    FullHttpResponse relayed = response("hello", "Content-Length", "5");
    channel.pipeline().write(relayed, channel.voidPromise());
    channel.pipeline().write(response("hi", "Content-Length", "2"), channel.newPromise());
    assertThat(written())
        .isEqualTo(
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
    assertThat(relayed.refCnt()).isZero();
  }

  @Test
  void aWholeResponseToHeadHasNoBody() {
    requests("HEAD", "GET");
    FullHttpResponse relayed = response("hello", "Content-Length", "5");
    channel.pipeline().write(relayed, channel.voidPromise());
    channel.pipeline().write(response("hi", "Content-Length", "2"), channel.voidPromise());
    assertThat(written())
        .isEqualTo(
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
    assertThat(relayed.refCnt()).isZero();
  }

  @Test
  void aWholeChunkedResponseIsWrittenInChunks() {
    requests("GET");
    channel
        .pipeline()
        .write(response("hello", "Transfer-Encoding", "chunked"), channel.voidPromise());
    assertThat(written())
        .isEqualTo("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  }
}
