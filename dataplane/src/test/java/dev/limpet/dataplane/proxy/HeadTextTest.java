package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadTextTest {
  @Test
  void aRepeatedNameIsTheKeptOneAndKeepsItsBytes() {
    byte[] line = "xx X-Head-Text-Test: 1".getBytes(StandardCharsets.US_ASCII);
    AsciiString first = HeadText.name(line, 3, 16);
    assertThat(first.toString()).isEqualTo("X-Head-Text-Test");
    assertThat(
            (Object) HeadText.name("X-Head-Text-Test".getBytes(StandardCharsets.US_ASCII), 0, 16))
        .isSameAs(first);
    // another case is another name: the bytes forwarded are the bytes received
    AsciiString lower =
        HeadText.name("x-head-text-test".getBytes(StandardCharsets.US_ASCII), 0, 16);
    assertThat(lower.toString()).isEqualTo("x-head-text-test");
  }

  @Test
  void sameIsThePreviousTextOnlyWhenTheBytesMatch() {
    byte[] ok = "200 OK".getBytes(StandardCharsets.US_ASCII);
    assertThat(HeadText.same("OK", ok, 4, 2)).isEqualTo("OK");
    assertThat(HeadText.same("Ok", ok, 4, 2)).isNull();
    assertThat(HeadText.same("OK!", ok, 4, 2)).isNull();
    assertThat(HeadText.same(null, ok, 4, 2)).isNull();
  }

  @Test
  void theDecoderKeepsNamesAsSentAndStillRefusesABadName() {
    EmbeddedChannel channel =
        new EmbeddedChannel(
            new FrontendCodec(
                new HttpDecoderConfig().setHeadersFactory(SizedHeadersFactory.HEADERS)));
    List<List<CharSequence>> names = new ArrayList<>();
    for (String name : List.of("X-Kept", "X-Kept", "x-KEPT")) {
      HttpRequest head = decode(channel, "GET / HTTP/1.1\r\nHost: a\r\n" + name + ": v\r\n\r\n");
      assertThat(head.decoderResult().isSuccess()).isTrue();
      List<CharSequence> request = new ArrayList<>();
      head.headers().iteratorCharSequence().forEachRemaining(f -> request.add(f.getKey()));
      names.add(request);
      ReferenceCountUtil.release(head);
      drain(channel);
    }
    assertThat(names.get(0).get(1).toString()).isEqualTo("X-Kept");
    assertThat((Object) names.get(1).get(1)).isSameAs(names.get(0).get(1));
    assertThat(names.get(2).get(1).toString()).isEqualTo("x-KEPT");
    HttpRequest bad = decode(channel, "GET / HTTP/1.1\r\nHost: a\r\nBad(Name: v\r\n\r\n");
    assertThat(bad.decoderResult().isFailure()).isTrue();
    ReferenceCountUtil.release(bad);
    channel.finishAndReleaseAll();
  }

  @Test
  void aConnectionsRepeatedTargetIsKeptAndANewOneRead() {
    EmbeddedChannel channel =
        new EmbeddedChannel(
            new FrontendCodec(
                new HttpDecoderConfig().setHeadersFactory(SizedHeadersFactory.HEADERS)));
    List<String> targets = new ArrayList<>();
    for (String target : List.of("/a?x=1", "/a?x=1", "/a?x=2")) {
      HttpRequest head = decode(channel, "GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
      targets.add(head.uri());
      assertThat(head.headers().getAll("content-length")).isEmpty();
      ReferenceCountUtil.release(head);
      drain(channel);
    }
    assertThat(targets).containsExactly("/a?x=1", "/a?x=1", "/a?x=2");
    assertThat(targets.get(1)).isSameAs(targets.get(0));
    channel.finishAndReleaseAll();
  }

  private static HttpRequest decode(EmbeddedChannel channel, String request) {
    channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
    return channel.readInbound();
  }

  private static void drain(EmbeddedChannel channel) {
    for (Object o; (o = channel.readInbound()) != null; ) ReferenceCountUtil.release(o);
  }
}
