package dev.limpet.dataplane.proxy;

import static dev.limpet.dataplane.proxy.StageChannels.PORT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import dev.limpet.dataplane.runtime.ConfigHolder;
import dev.limpet.dataplane.runtime.RuntimeConfig;
import dev.limpet.dataplane.transport.Transport;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What becomes of a server's response head: refused, skipped, replaced, or rewritten and passed.
 */
class ResponseHeadsTest {
  private static final String EVENTS =
      """
      httpResponse: |
        if avi.http.status() == "500" then avi.http.response(503, {}, "sorry") end
      """;

  private final RecordedEndings endings = new RecordedEndings();
  private final ProxyContext context =
      new ProxyContext(new ConfigHolder(), Transport.best(), new DataPlaneMetrics());
  private RuntimeConfig config;
  private EmbeddedChannel client;
  private ResponseHeads heads;

  @BeforeEach
  void build() throws Exception {
    config = StageChannels.scriptedAndPlain(EVENTS);
    client = StageChannels.from("127.0.0.9", new ChannelInboundHandlerAdapter());
    heads =
        new ResponseHeads(
            client.pipeline().firstContext(),
            context,
            new ResponseHooks(context, PORT, false),
            endings);
  }

  @AfterEach
  void close() {
    client.finishAndReleaseAll();
  }

  private static HttpResponse response(HttpResponseStatus status) {
    return new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
  }

  @Test
  void aKeptAliveResponseGoesOnWithItsCookieAndBothConnectionsStay() {
    Exchange e = StageChannels.exchange(config, "plain.example");
    HttpResponse response = response(HttpResponseStatus.OK);
    response.headers().set("keep-alive", "timeout=5");

    assertThat(heads.accept(e, response)).isTrue();

    assertThat(e.status).isEqualTo(200);
    assertThat(e.responsePhase).isEqualTo(Exchange.ResponsePhase.RELAYING);
    assertThat(e.upstreamAfter).isEqualTo(Exchange.UpstreamAfter.REUSE);
    assertThat(e.closesClient()).isFalse();
    assertThat(response.headers().get("Set-Cookie")).startsWith("LB=");
    assertThat(response.headers().contains("keep-alive")).isFalse(); // hop-by-hop
    assertThat(endings.asked).isEmpty();
  }

  @Test
  void aServerThatClosesIsNotReusedAndADrainingProxyClosesTheClient() {
    Exchange e = StageChannels.exchange(config, "plain.example");
    HttpResponse closing = response(HttpResponseStatus.OK);
    closing.headers().set(HttpHeaderNames.CONNECTION, "close");
    assertThat(heads.accept(e, closing)).isTrue();
    assertThat(e.upstreamAfter).isEqualTo(Exchange.UpstreamAfter.CLOSE);
    assertThat(e.closesClient()).isFalse();
    assertThat(closing.headers().contains(HttpHeaderNames.CONNECTION)).isFalse();

    context.startDraining();
    Exchange drained = StageChannels.exchange(config, "plain.example");
    HttpResponse response = response(HttpResponseStatus.OK);
    assertThat(heads.accept(drained, response)).isTrue();
    assertThat(drained.closesClient()).isTrue();
    assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
  }

  private static HttpRequest webSocketOffer() {
    HttpRequest head = StageChannels.get("plain.example", HttpVersion.HTTP_1_1);
    head.headers().set(HttpHeaderNames.UPGRADE, "websocket");
    head.headers().set(HttpHeaderNames.CONNECTION, "Upgrade");
    return head;
  }

  private static HttpResponse switchTo(String protocol) {
    HttpResponse response = response(HttpResponseStatus.SWITCHING_PROTOCOLS);
    if (protocol != null) response.headers().set(HttpHeaderNames.UPGRADE, protocol);
    response.headers().set(HttpHeaderNames.CONNECTION, "Upgrade");
    return response;
  }

  @Test
  void aProtocolSwitchKeepsTheClientConnectionEvenWhenDrainingButNeverPoolsTheServers() {
    context.startDraining();
    Exchange e = StageChannels.exchange(config, webSocketOffer());

    assertThat(heads.accept(e, switchTo("WebSocket"))).isTrue();

    assertThat(e.status).isEqualTo(101);
    assertThat(e.upstreamAfter).isEqualTo(Exchange.UpstreamAfter.CLOSE);
    assertThat(e.closesClient()).isFalse();
  }

  @Test
  void aSwitchToAnythingButTheWebSocketOfferPassedOnIsA502AndNeverATunnel() {
    // no offer passed on (a plain request, or an h2c offer dropped on the way in); an offer of
    // WebSocket answered with a switch to h2c; an offer of WebSocket answered with no protocol
    Exchange[] exchanges = {
      StageChannels.exchange(config, "plain.example"),
      StageChannels.exchange(config, webSocketOffer()),
      StageChannels.exchange(config, webSocketOffer())
    };
    HttpResponse[] switches = {switchTo("h2c"), switchTo("h2c"), switchTo(null)};
    for (int i = 0; i < exchanges.length; i++) {
      Exchange e = exchanges[i];
      assertThat(heads.accept(e, switches[i])).as("case %d", i).isFalse();
      assertThat(e.closesClient()).isTrue();
      assertThat(e.upstreamAfter).isEqualTo(Exchange.UpstreamAfter.CLOSE);
    }
    assertThat(endings.asked)
        .hasSize(3)
        .allSatisfy(
            asked ->
                assertThat(asked)
                    .isEqualTo(
                        "server failed 502 server a switched protocols without a WebSocket offer"));
  }

  @Test
  void aHeadNamingAFramingFieldInConnectionIsA502() {
    Exchange e = StageChannels.exchange(config, "plain.example");
    HttpResponse smuggling = response(HttpResponseStatus.OK);
    smuggling.headers().set(HttpHeaderNames.CONNECTION, "content-length");

    assertThat(heads.accept(e, smuggling)).isFalse();

    assertThat(endings.asked).containsExactly("server failed 502 invalid response from server a");
    assertThat(e.closesClient()).isTrue();
    var counter =
        context.metrics.registry().find("limpet_upstream_errors").tag("kind", "protocol").counter();
    assertThat(counter.count()).isEqualTo(1.0);
  }

  @Test
  void anInterimResponseIsSkippedAndA100ContinueGoesOnlyToAClientThatAskedForIt() {
    Exchange e = StageChannels.exchange(config, "plain.example");
    assertThat(heads.accept(e, response(HttpResponseStatus.CONTINUE))).isFalse();
    assertThat(e.responsePhase).isEqualTo(Exchange.ResponsePhase.INFORMATIONAL);
    assertThat(e.status).isZero();
    assertThat(client.outboundMessages()).isEmpty();

    Exchange expecting = StageChannels.exchange(config, "plain.example");
    expecting.head().headers().set(HttpHeaderNames.EXPECT, "100-continue");
    assertThat(heads.accept(expecting, response(HttpResponseStatus.CONTINUE))).isFalse();
    FullHttpResponse sent = client.readOutbound();
    assertThat(sent.status()).isEqualTo(HttpResponseStatus.CONTINUE);
    sent.release();
    assertThat(endings.asked).isEmpty();
  }

  @Test
  void aResponseTheScriptsReplaceIsNotPassedOn() {
    Exchange e = StageChannels.exchange(config, "scripted.example");

    assertThat(heads.accept(e, response(HttpResponseStatus.INTERNAL_SERVER_ERROR))).isFalse();

    assertThat(endings.asked).containsExactly("script reply 503");
  }
}
