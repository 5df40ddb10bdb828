package dev.limpet.dataplane.proxy;

import static dev.limpet.dataplane.proxy.StageChannels.PORT;
import static dev.limpet.dataplane.proxy.StageChannels.config;
import static dev.limpet.dataplane.proxy.StageChannels.from;
import static dev.limpet.dataplane.proxy.StageChannels.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.runtime.RuntimeConfig;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ForwardingTest {
  private EmbeddedChannel channel;

  @BeforeEach
  void open() throws Exception {
    RuntimeConfig config =
        config("{name: web, port: " + PORT + ", hostnames: [web.example], pool: web}");
    channel = from("127.0.0.9", new Route(() -> config, PORT), new Forwarding(true, PORT));
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private RoutedRequest forward(HttpRequest head) {
    channel.writeInbound(head);
    return (RoutedRequest) channel.readInbound();
  }

  @Test
  void everyFieldAConnectionValueNamesGoesWhateverItsSpacingCaseAndEmptyTokens() {
    HttpRequest head = get("web.example", HttpVersion.HTTP_1_1);
    head.headers()
        .add("connection", "CLOSE ,  x-a ,, Keep-Alive,x-b\t, UPGRADEX, content-length")
        .add("connection", "x-c")
        .set("x-a", "1")
        .set("x-b", "1")
        .set("x-c", "1")
        .set("upgradex", "1")
        .set("x-kept", "1")
        .set("content-length", "0");
    RoutedRequest out = forward(head);
    assertThat(out.head().headers().names())
        .doesNotContain("connection", "x-a", "x-b", "x-c", "upgradex")
        .contains("x-kept", "content-length");
  }

  @Test
  void hopByHopFieldsGoForwardedFieldsComeAndTheHeadGoesOnAsHttp11() {
    HttpRequest head = get("web.example", HttpVersion.HTTP_1_0);
    head.headers()
        .set("connection", "keep-alive, x-secret, te")
        .set("x-secret", "1")
        .set("keep-alive", "timeout=5")
        .set("te", "gzip, trailers")
        .set("x-forwarded-for", "10.0.0.1")
        .set("content-length", "0");
    RoutedRequest out = forward(head);
    assertThat(out.head().headers().names()).doesNotContain("connection", "x-secret", "keep-alive");
    // the proxy passes trailers on: the next hop may send them (gRPC needs te: trailers)
    assertThat(out.head().headers().getAll("te")).containsExactly("trailers");
    assertThat(out.head().headers().get("content-length")).isEqualTo("0");
    assertThat(out.head().headers().get("x-forwarded-for")).isEqualTo("10.0.0.1, 127.0.0.9");
    assertThat(out.head().headers().get("x-forwarded-proto")).isEqualTo("https");
    assertThat(out.head().headers().get("x-forwarded-port")).isEqualTo(Integer.toString(PORT));
    assertThat(out.head().protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
    // what the client's head said stays in the record
    assertThat(out.http10()).isTrue();
    assertThat(out.keepAlive()).isTrue();
  }

  @Test
  void aTeWithoutTrailersGoes() {
    HttpRequest head = get("web.example", HttpVersion.HTTP_1_1);
    head.headers().set("te", "gzip").set("connection", "te");
    assertThat(forward(head).head().headers().names()).doesNotContain("te", "connection");
  }

  @Test
  void aWebSocketHandshakeKeepsItsProtocolSwitch() {
    HttpRequest head = get("web.example", HttpVersion.HTTP_1_1);
    head.headers().set("upgrade", "websocket").set("connection", "Upgrade");
    RoutedRequest out = forward(head);
    assertThat(out.head().headers().get("upgrade")).isEqualTo("websocket");
    assertThat(out.head().headers().get("connection")).isEqualToIgnoringCase("upgrade");
  }

  @Test
  void aRequestAnsweredLocallyIsLeftAsItCame() {
    HttpRequest head = get("unknown.example", HttpVersion.HTTP_1_0);
    head.headers().set("connection", "keep-alive");
    RoutedRequest out = forward(head);
    assertThat(out.head().headers().get("connection")).isEqualTo("keep-alive");
    assertThat(out.head().headers().contains("x-forwarded-for")).isFalse();
    assertThat(out.head().protocolVersion()).isEqualTo(HttpVersion.HTTP_1_0);
  }
}
