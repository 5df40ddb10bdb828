package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay between a client and its exchange's server connection: order, and back-pressure by
 * explicit reads in both directions (writability made false with the channel's user-defined bit).
 */
class UpstreamRelayTest {
  private final ReadCounter clientReads = new ReadCounter();
  private final ReadCounter upstreamReads = new ReadCounter();
  private final ChannelInboundHandlerAdapter proxy = new ChannelInboundHandlerAdapter();
  private EmbeddedChannel client;
  private EmbeddedChannel upstream;
  private UpstreamRelay relay;
  private Exchange exchange;

  @BeforeEach
  void connect() throws Exception {
    client = StageChannels.from("127.0.0.9", clientReads, proxy);
    upstream = new EmbeddedChannel(upstreamReads);
    client.config().setAutoRead(false);
    upstream.config().setAutoRead(false);
    relay = new UpstreamRelay(client.pipeline().context(proxy));
    exchange = StageChannels.webExchange();
    clientReads.reads = 0;
    upstreamReads.reads = 0;
  }

  @AfterEach
  void close() {
    client.finishAndReleaseAll();
    upstream.finishAndReleaseAll();
  }

  private static HttpContent part(String text) {
    return new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
  }

  private static LastHttpContent last(String text) {
    return new DefaultLastHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
  }

  private static String text(Object content) {
    String s = ((HttpContent) content).content().toString(StandardCharsets.UTF_8);
    ((HttpContent) content).release();
    return s;
  }

  private static void writable(EmbeddedChannel channel, boolean writable) {
    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
  }

  @Test
  void bodyReadWhileConnectingGoesUpstreamAfterTheHeadInOrderAndBothSidesAreRead() {
    relay.requestBody(exchange, part("one"));
    relay.requestBody(exchange, part("two"));
    relay.clientReadComplete(exchange); // still connecting: no more of the request yet
    assertThat(upstream.outboundMessages()).isEmpty();
    assertThat(clientReads.reads).isZero();

    relay.connected(exchange, upstream);

    assertThat((Object) upstream.readOutbound()).isInstanceOf(HttpRequest.class);
    assertThat(text(upstream.readOutbound())).isEqualTo("one");
    assertThat(text(upstream.readOutbound())).isEqualTo("two");
    assertThat(exchange.pendingBody).isEmpty();
    assertThat(upstreamReads.reads).isEqualTo(1);
    assertThat(clientReads.reads).isEqualTo(1); // the rest of the body
  }

  @Test
  void theClientIsReadOnlyWhileTheServerTakesMore() {
    relay.connected(exchange, upstream);
    ReferenceCountUtil.release(upstream.readOutbound()); // the head
    clientReads.reads = 0;

    writable(upstream, false);
    relay.requestBody(exchange, part("a"));
    relay.clientReadComplete(exchange);
    assertThat(text(upstream.readOutbound())).isEqualTo("a"); // flushed nevertheless
    assertThat(clientReads.reads).isZero();

    writable(upstream, true);
    relay.upstreamWritable(exchange);
    assertThat(clientReads.reads).isEqualTo(1);

    exchange.requestPhase = Exchange.RequestPhase.RECEIVED;
    relay.clientReadComplete(exchange); // what comes next is the next request's: it waits
    relay.upstreamWritable(exchange);
    assertThat(clientReads.reads).isEqualTo(1);
  }

  @Test
  void theServerIsReadOnlyWhileTheClientTakesMore() {
    exchange.requestPhase = Exchange.RequestPhase.RECEIVED;
    relay.connected(exchange, upstream);
    upstreamReads.reads = 0;
    exchange.responsePhase = Exchange.ResponsePhase.RELAYING;

    writable(client, false);
    assertThat(relay.responseBody(exchange, part("x"))).isFalse();
    relay.upstreamReadComplete(exchange);
    assertThat(text(client.readOutbound())).isEqualTo("x"); // flushed nevertheless
    assertThat(upstreamReads.reads).isZero();

    writable(client, true);
    relay.clientWritable(exchange);
    assertThat(upstreamReads.reads).isEqualTo(1);
    relay.upstreamReadComplete(exchange);
    assertThat(upstreamReads.reads).isEqualTo(2);

    assertThat(relay.responseBody(exchange, last("y"))).isTrue();
    assertThat(exchange.responsePhase).isEqualTo(Exchange.ResponsePhase.RELAYED);
    relay.upstreamReadComplete(exchange); // the response is whole: the server is not read
    relay.clientWritable(exchange);
    assertThat(upstreamReads.reads).isEqualTo(2);
    assertThat(text(client.readOutbound())).isEqualTo("y");
    assertThat(exchange.responseBytes).isEqualTo(2);
  }

  @Test
  void anInterimResponsesBodyIsDroppedAndTheRealResponseAwaited() {
    exchange.responsePhase = Exchange.ResponsePhase.INFORMATIONAL;

    assertThat(relay.responseBody(exchange, LastHttpContent.EMPTY_LAST_CONTENT)).isFalse();

    assertThat(exchange.responsePhase).isEqualTo(Exchange.ResponsePhase.AWAITED);
    assertThat(client.outboundMessages()).isEmpty();
    relay.responseHead(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
    client.flushOutbound();
    assertThat((Object) client.readOutbound()).isInstanceOf(DefaultHttpResponse.class);
  }
}
