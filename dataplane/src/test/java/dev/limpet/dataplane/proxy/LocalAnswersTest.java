package dev.limpet.dataplane.proxy;

import static dev.limpet.dataplane.proxy.StageChannels.PORT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import dev.limpet.dataplane.runtime.ConfigHolder;
import dev.limpet.dataplane.script.ScriptResult;
import dev.limpet.dataplane.transport.Transport;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The answers the proxy gives without a server, and what each means for the connection. */
class LocalAnswersTest {
  private final ProxyContext context =
      new ProxyContext(new ConfigHolder(), Transport.best(), new DataPlaneMetrics());
  private EmbeddedChannel route;
  private EmbeddedChannel client;
  private LocalAnswers answers;

  @BeforeEach
  void connection() throws Exception {
    var config =
        StageChannels.config(
            "{name: web, port: " + PORT + ", hostnames: [web.example], pool: web}");
    route = StageChannels.from("127.0.0.9", new Route(() -> config, PORT));
    client = StageChannels.from("127.0.0.9", new ChannelInboundHandlerAdapter());
    answers = new LocalAnswers(client.pipeline().firstContext(), context, new RequestClock());
  }

  @AfterEach
  void close() {
    route.finishAndReleaseAll();
    client.finishAndReleaseAll();
  }

  private Exchange exchange(HttpVersion version) {
    route.writeInbound(StageChannels.get("web.example", version));
    return new Exchange((RoutedRequest) route.readInbound(), null);
  }

  private FullHttpResponse sent() {
    client.flushOutbound();
    return (FullHttpResponse) client.readOutbound();
  }

  @Test
  void aWholeKeptAliveRequestIsAnsweredAndTheConnectionStaysOpen() {
    Exchange e = exchange(HttpVersion.HTTP_1_1);
    e.requestPhase = Exchange.RequestPhase.RECEIVED;

    assertThat(answers.reply(e, HttpResponseStatus.NOT_FOUND, "no virtual service")).isTrue();

    FullHttpResponse response = sent();
    assertThat(response.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
    assertThat(response.content().toString(StandardCharsets.UTF_8))
        .isEqualTo("no virtual service\n");
    assertThat(response.headers().contains(HttpHeaderNames.CONNECTION)).isFalse();
    assertThat(e.answeredLocally()).isTrue();
    assertThat(e.status).isEqualTo(404);
    assertThat(e.closesClient()).isFalse();
    response.release();
  }

  @Test
  void aRequestWithoutABodyStillArrivingIsReadToItsEndBeforeTheExchangeEnds() {
    Exchange e = exchange(HttpVersion.HTTP_1_1);

    assertThat(answers.reply(e, HttpResponseStatus.NOT_FOUND, "no")).isFalse();

    assertThat(e.closesClient()).isFalse();
    sent().release();
  }

  @Test
  void aBodyThatMayStillFollowClosesTheConnection() {
    Exchange e = exchange(HttpVersion.HTTP_1_1);
    e.head().headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 10);

    assertThat(answers.reply(e, HttpResponseStatus.BAD_GATEWAY, "down")).isTrue();

    FullHttpResponse response = sent();
    assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
    assertThat(e.closesClient()).isTrue();
    response.release();
  }

  @Test
  void anHttp10RequestOrADrainingProxyClosesTheConnection() {
    Exchange old = exchange(HttpVersion.HTTP_1_0);
    old.requestPhase = Exchange.RequestPhase.RECEIVED;
    assertThat(answers.reply(old, HttpResponseStatus.NOT_FOUND, "no")).isTrue();
    assertThat(old.closesClient()).isTrue();
    sent().release();

    context.startDraining();
    Exchange e = exchange(HttpVersion.HTTP_1_1);
    e.requestPhase = Exchange.RequestPhase.RECEIVED;
    answers.reply(e, HttpResponseStatus.NOT_FOUND, "no");
    FullHttpResponse response = sent();
    assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
    response.release();
  }

  @Test
  void aScriptsReplyIsSentWithItsCloseConnAndAFailedScriptIsTheFailureStatus() {
    Exchange e = exchange(HttpVersion.HTTP_1_1);
    e.requestPhase = Exchange.RequestPhase.RECEIVED;
    var local =
        new ScriptResult.LocalResponse(
            418, new DefaultHttpHeaders().set("x-from", "script"), "teapot".getBytes());

    answers.fromScript(
        e,
        new ScriptResult(local, ScriptResult.Close.RST, null),
        HttpResponseStatus.INTERNAL_SERVER_ERROR,
        "DataScript error");

    FullHttpResponse response = sent();
    assertThat(response.status().code()).isEqualTo(418);
    assertThat(response.headers().get("x-from")).isEqualTo("script");
    assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
    assertThat(e.afterwards).isEqualTo(Exchange.Afterwards.RESET);
    response.release();

    Exchange failed = exchange(HttpVersion.HTTP_1_1);
    failed.requestPhase = Exchange.RequestPhase.RECEIVED;
    answers.fromScript(failed, null, HttpResponseStatus.BAD_GATEWAY, "server a down");
    response = sent();
    assertThat(response.status()).isEqualTo(HttpResponseStatus.BAD_GATEWAY);
    assertThat(response.content().toString(StandardCharsets.UTF_8)).isEqualTo("server a down\n");
    assertThat(failed.closesClient()).isFalse();
    response.release();
  }

  @Test
  void aDeniedRequestIsForbiddenAndItsConnectionClosed() {
    Exchange e = exchange(HttpVersion.HTTP_1_1);
    e.requestPhase = Exchange.RequestPhase.RECEIVED;

    assertThat(answers.forbid(e)).isTrue();

    FullHttpResponse response = sent();
    assertThat(response.status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
    assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
    assertThat(e.closesClient()).isTrue();
    response.release();
  }

  @Test
  void aRequestThatNeverBecameAnExchangeIsCountedAndAnsweredWithClose() {
    // the close itself is the proxy handler's (an HTTP/2 stream ends otherwise than a connection)
    answers.rejectUnrouted(HttpResponseStatus.REQUEST_TIMEOUT, "too slow");
    client.flushOutbound();

    FullHttpResponse response = client.readOutbound();
    assertThat(response.status()).isEqualTo(HttpResponseStatus.REQUEST_TIMEOUT);
    assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
    assertThat(
            context
                .metrics
                .registry()
                .find("limpet_bad_requests")
                .tag("status", "408")
                .counter()
                .count())
        .isEqualTo(1.0);
    response.release();
  }
}
