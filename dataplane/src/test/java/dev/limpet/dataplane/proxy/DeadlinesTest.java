package dev.limpet.dataplane.proxy;

import static dev.limpet.dataplane.proxy.StageChannels.PORT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.proxy.Deadlines.Deadline;
import dev.limpet.dataplane.proxy.Deadlines.Kind;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeadlinesTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private final Deadlines deadlines =
      new Deadlines(new ListenerSettings(1_000, 200, 1024, 8192, false));
  private EmbeddedChannel channel;
  private EmbeddedChannel upstream;
  private Exchange exchange;

  @BeforeEach
  void exchange() throws Exception {
    var config =
        StageChannels.config(
            "{name: web, port: "
                + PORT
                + ", hostnames: [web.example], pool: web, timeouts: {upstreamResponseMs: 3000}}");
    channel = StageChannels.from("127.0.0.9", new Route(() -> config, PORT));
    channel.writeInbound(StageChannels.get("web.example", HttpVersion.HTTP_1_1));
    exchange = new Exchange((RoutedRequest) channel.readInbound(), null);
    upstream = new EmbeddedChannel();
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
    upstream.finishAndReleaseAll();
  }

  @Test
  void betweenExchangesAHeadUnderWayHasTheHeaderReadTimeoutElseTheIdleOne() {
    assertThat(deadlines.between(5 * MS, 1 * MS, false))
        .isEqualTo(new Deadline(Kind.HEADER_READ, 205 * MS));
    assertThat(deadlines.between(5 * MS, 1 * MS, true).kind()).isEqualTo(Kind.HEADER_READ);
    assertThat(deadlines.between(0, 1 * MS, false))
        .isEqualTo(new Deadline(Kind.CLIENT_IDLE, 1_001 * MS));
    // queued pipelined requests: not idle
    assertThat(deadlines.between(0, 1 * MS, true)).isEqualTo(Deadline.NONE);
  }

  @Test
  void aStreamingRequestBodyHasTheIdleTimeoutThenTheServerHasItsResponseTimeout() {
    assertThat(deadlines.during(exchange)).isEqualTo(Deadline.NONE); // not connected yet
    exchange.upstream = upstream;
    exchange.lastClientActivityNanos = 10 * MS;
    exchange.lastUpstreamActivityNanos = 20 * MS;
    assertThat(deadlines.during(exchange)).isEqualTo(new Deadline(Kind.REQUEST_BODY, 1_010 * MS));
    exchange.requestPhase = Exchange.RequestPhase.RECEIVED;
    assertThat(deadlines.during(exchange))
        .isEqualTo(new Deadline(Kind.UPSTREAM_RESPONSE, 3_020 * MS));
    exchange.responsePhase = Exchange.ResponsePhase.RELAYING; // the body is still to come
    assertThat(deadlines.during(exchange).kind()).isEqualTo(Kind.UPSTREAM_RESPONSE);
  }

  @Test
  void anExchangeAnsweredLocallyOrWithItsResponseCompleteHasNone() {
    exchange.upstream = upstream;
    exchange.requestPhase = Exchange.RequestPhase.RECEIVED;
    exchange.responsePhase = Exchange.ResponsePhase.RELAYED;
    assertThat(deadlines.during(exchange)).isEqualTo(Deadline.NONE);
    exchange.responsePhase = Exchange.ResponsePhase.LOCAL;
    assertThat(deadlines.during(exchange)).isEqualTo(Deadline.NONE);
  }
}
