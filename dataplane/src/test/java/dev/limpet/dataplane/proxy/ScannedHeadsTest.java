package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The request decoder reads the same requests with scanned heads as with Netty's own reading of
 * every field, and takes the scanned path for well-formed heads only.
 */
class ScannedHeadsTest {
  private static final String PIPELINE =
      "GET /a HTTP/1.1\r\nHost: t\r\nX-A: 1\r\n\r\n"
          + "POST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"
          + "POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n"
          + "GET /d HTTP/1.1\r\nHost: t\r\nX-Odd : 1\r\n\r\n" // declined: Netty refuses it
          + "GET /e HTTP/1.1\r\nHost: t\r\n\r\n";

  /** What the decoder makes of {@code bytes} fed in pieces of {@code piece} bytes. */
  private static List<String> decode(boolean scan, String bytes, int piece) {
    EmbeddedChannel channel =
        new EmbeddedChannel(
            new RequestDecoder(
                new HttpDecoderConfig().setStrictLineParsing(true), new ArrayDeque<>(), scan));
    byte[] all = bytes.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < all.length; i += piece)
      channel.writeInbound(Unpooled.wrappedBuffer(all, i, Math.min(piece, all.length - i)));
    List<String> seen = new ArrayList<>();
    for (Object message; (message = channel.readInbound()) != null; ) {
      seen.add(describe((HttpObject) message));
      ReferenceCountUtil.release(message);
    }
    channel.finishAndReleaseAll();
    return seen;
  }

  private static String describe(HttpObject message) {
    String text = message.decoderResult().isFailure() ? "failed " : "";
    if (message instanceof HttpRequest request)
      text += request.method() + " " + request.uri() + " " + request.headers().entries();
    if (message instanceof HttpContent content)
      text += "content " + content.content().toString(StandardCharsets.US_ASCII);
    return text;
  }

  @Test
  void scannedAndNettyReadTheSameRequests() {
    List<String> netty = decode(false, PIPELINE, Integer.MAX_VALUE);
    assertThat(netty).anyMatch(text -> text.startsWith("failed"));
    assertThat(decode(true, PIPELINE, Integer.MAX_VALUE)).isEqualTo(netty);
    // a head cut anywhere is read by Netty up to its end, then the next one may be scanned again
    for (int piece : new int[] {1, 7, 40})
      assertThat(decode(true, PIPELINE, piece)).isEqualTo(decode(false, PIPELINE, piece));
  }

  @Test
  void wellFormedHeadsAreScanned() {
    EmbeddedChannel channel =
        new EmbeddedChannel(new RequestDecoder(new HttpDecoderConfig(), new ArrayDeque<>(), true));
    channel.writeInbound(
        Unpooled.copiedBuffer(
            "GET /a HTTP/1.1\r\nHost: t\r\n\r\nGET /b HTTP/1.1\r\nHost : t\r\n\r\n",
            StandardCharsets.US_ASCII));
    HttpRequest scanned = channel.readInbound();
    assertThat(scanned.method()).isEqualTo(HttpMethod.GET);
    assertThat(scanned.headers()).isInstanceOf(ReceivedHeaders.class);
    ReferenceCountUtil.release(channel.readInbound()); // its end
    HttpRequest declined = channel.readInbound();
    assertThat(declined.decoderResult().isFailure()).isTrue(); // Netty's refusal, as before
    assertThat(declined.headers()).isNotInstanceOf(ReceivedHeaders.class);
    channel.finishAndReleaseAll();
  }
}
