package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RequestBodyBufferTest {
  private EmbeddedChannel channel;

  private EmbeddedChannel channel(int limit) {
    channel = new EmbeddedChannel(new RequestBodyBuffer(head -> limit));
    return channel;
  }

  @AfterEach
  void close() {
    if (channel != null) channel.finishAndReleaseAll();
  }

  private static HttpRequest post() {
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
  }

  private static HttpContent part(String s) {
    return new DefaultHttpContent(Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1));
  }

  private static LastHttpContent last(String s) {
    return new DefaultLastHttpContent(Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1));
  }

  private static String text(Object msg) {
    ByteBuf buf = ((HttpContent) msg).content();
    return buf.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void theHeadWaitsForTheWholeShortBodyThenComesAfterItsBytesWithThePartsUnchanged() {
    EmbeddedChannel ch = channel(100);
    HttpRequest head = post();
    ch.writeInbound(head, part("hello "));
    assertThat((Object) ch.readInbound()).isNull();

    ch.writeInbound(last("world"));
    RequestBodyBuffer.BufferedBody body = ch.readInbound();
    assertThat(body.bytes()).asString(StandardCharsets.ISO_8859_1).isEqualTo("hello world");
    assertThat(body.whole()).isTrue();
    assertThat((Object) ch.readInbound()).isSameAs(head);
    assertThat(text(ch.readInbound())).isEqualTo("hello ");
    Object end = ch.readInbound();
    assertThat(end).isInstanceOf(LastHttpContent.class);
    assertThat(text(end)).isEqualTo("world");
    ((LastHttpContent) end).release();
  }

  @Test
  void atTheLimitTheFirstBytesGoOnAndTheRestStreams() {
    EmbeddedChannel ch = channel(4);
    ch.writeInbound(post(), part("abc"), part("defg"));
    RequestBodyBuffer.BufferedBody body = ch.readInbound();
    assertThat(body.bytes()).asString(StandardCharsets.ISO_8859_1).isEqualTo("abcd");
    assertThat(body.whole()).isFalse();
    assertThat((Object) ch.readInbound()).isInstanceOf(HttpRequest.class);
    assertThat(text(ch.readInbound())).isEqualTo("abc");
    assertThat(text(ch.readInbound())).isEqualTo("defg");

    ch.writeInbound(last("h"));
    assertThat(text(ch.readInbound())).isEqualTo("h");
  }

  @Test
  void withoutALimitNothingIsHeld() {
    EmbeddedChannel ch = channel(0);
    HttpRequest head = post();
    ch.writeInbound(head);
    assertThat((Object) ch.readInbound()).isSameAs(head);
  }

  @Test
  void aMalformedBodyFailsTheHeadAndNoBytesGoOn() {
    EmbeddedChannel ch = channel(100);
    HttpRequest head = post();
    LastHttpContent broken = last("");
    broken.setDecoderResult(DecoderResult.failure(FramingException.badRequest("bad chunk")));
    ch.writeInbound(head, part("abc"), broken);

    assertThat((Object) ch.readInbound()).isSameAs(head);
    assertThat(head.decoderResult().cause()).isInstanceOf(FramingException.class);
    assertThat((Object) ch.readInbound()).isNull();
  }

  @Test
  void aClientExpecting100ContinueIsAnsweredAndTheExpectationRemoved() {
    EmbeddedChannel ch = channel(100);
    HttpRequest head = post();
    head.headers().set("Expect", "100-continue");
    ch.writeInbound(head);

    assertThat(ch.<Object>readOutbound().toString()).contains("100 Continue");
    ch.writeInbound(last("x"));
    ch.<Object>readInbound();
    assertThat(ch.<HttpRequest>readInbound().headers().contains("Expect")).isFalse();
  }
}
