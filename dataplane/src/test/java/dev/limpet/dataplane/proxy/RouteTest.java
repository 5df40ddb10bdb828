package dev.limpet.dataplane.proxy;

import static dev.limpet.dataplane.proxy.StageChannels.PORT;
import static dev.limpet.dataplane.proxy.StageChannels.config;
import static dev.limpet.dataplane.proxy.StageChannels.from;
import static dev.limpet.dataplane.proxy.StageChannels.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.runtime.RuntimeConfig;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RouteTest {
  private final AtomicReference<RuntimeConfig> current = new AtomicReference<>();
  private EmbeddedChannel channel;

  @BeforeEach
  void open() throws Exception {
    current.set(
        config(
            "{name: one, port: " + PORT + ", hostnames: [one.example], pool: web}",
            "{name: two, port: " + PORT + ", hostnames: [two.example], pool: web}"));
    channel = from("127.0.0.7", new Route(current::get, PORT));
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private RoutedRequest route(HttpRequest head) {
    channel.writeInbound(head);
    Object out = channel.readInbound();
    assertThat(out).isInstanceOf(RoutedRequest.class);
    return (RoutedRequest) out;
  }

  @Test
  void theHostNamesTheVirtualServiceAndTheRecordKeepsWhatTheHeadSaid() {
    HttpRequest head = get("two.example:8080", HttpVersion.HTTP_1_0);
    RoutedRequest routed = route(head);
    assertThat(routed.head()).isSameAs(head);
    assertThat(routed.vs().name()).isEqualTo("two");
    assertThat(routed.config()).isSameAs(current.get());
    assertThat(routed.uri()).isEqualTo("/path?q=1");
    assertThat(routed.client().client().getAddress().getHostAddress()).isEqualTo("127.0.0.7");
    assertThat(routed.http10()).isTrue();
    assertThat(routed.keepAlive()).isFalse(); // HTTP/1.0 without Connection: keep-alive
    assertThat(routed.upgrade()).isFalse();
    assertThat(route(get("one.example", HttpVersion.HTTP_1_1)).vs().name()).isEqualTo("one");
  }

  @Test
  void anUnknownHostIsRoutedNowhereAndAnswered404Later() {
    RoutedRequest routed = route(get("three.example", HttpVersion.HTTP_1_1));
    assertThat(routed.routed()).isFalse();
    assertThat(routed.keepAlive()).isTrue();
  }

  @Test
  void aWebSocketHandshakeIsNotedBeforeItsFieldsAreTouched() {
    HttpRequest head = get("one.example", HttpVersion.HTTP_1_1);
    head.headers().set("upgrade", "websocket").set("connection", "Upgrade");
    assertThat(route(head).upgrade()).isTrue();
  }

  @Test
  void eachRequestIsRoutedUnderTheConfigurationCurrentWhenItArrives() throws Exception {
    assertThat(route(get("one.example", HttpVersion.HTTP_1_1)).vs().name()).isEqualTo("one");
    current.set(config("{name: other, port: " + PORT + ", hostnames: [one.example], pool: web}"));
    RoutedRequest routed = route(get("one.example", HttpVersion.HTTP_1_1));
    assertThat(routed.vs().name()).isEqualTo("other");
    assertThat(routed.config()).isSameAs(current.get());
  }

  @Test
  void theBufferedBodyJoinsTheHeadThatFollowsIt() {
    channel.writeInbound(new RequestBodyBuffer.BufferedBody(new byte[] {1, 2}, true));
    assertThat((Object) channel.readInbound()).isNull();
    RoutedRequest routed = route(get("one.example", HttpVersion.HTTP_1_1));
    assertThat(routed.body().bytes()).containsExactly(1, 2);
    assertThat(route(get("one.example", HttpVersion.HTTP_1_1)).body()).isNull();
  }

  @Test
  void aHeadThatFailedToDecodeAndBodyPartsPassUnchanged() {
    HttpRequest bad = get("one.example", HttpVersion.HTTP_1_1);
    bad.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("bad")));
    HttpContent part = new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[] {1}));
    channel.writeInbound(bad, part);
    assertThat((Object) channel.readInbound()).isSameAs(bad);
    assertThat((Object) channel.readInbound()).isSameAs(part);
  }
}
