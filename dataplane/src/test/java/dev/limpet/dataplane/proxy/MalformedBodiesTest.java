package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A body that cannot be decoded, in either direction, before and after the response started. */
class MalformedBodiesTest {
  private final DataPlaneMetrics metrics = new DataPlaneMetrics();
  private final RecordedEndings endings = new RecordedEndings();
  private EmbeddedChannel client;
  private MalformedBodies malformed;
  private Exchange exchange;

  @BeforeEach
  void build() throws Exception {
    client = StageChannels.from("127.0.0.9");
    malformed = new MalformedBodies(client, metrics, endings);
    exchange = StageChannels.webExchange();
    // the server had kept its connection alive: a broken body must still not let it be reused
    exchange.upstreamAfter = Exchange.UpstreamAfter.REUSE;
  }

  @AfterEach
  void close() {
    client.finishAndReleaseAll();
  }

  private double counted(String name, String tag, String value) {
    var counter = metrics.registry().find(name).tag(tag, value).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aBrokenRequestBodyBeforeAnyResponseIsA400AndNeitherConnectionGoesOn() {
    malformed.inRequest(exchange, new IllegalStateException("bad chunk size"));

    assertThat(endings.asked).containsExactly("reply 400 malformed request body");
    assertThat(exchange.upstreamAfter).isEqualTo(Exchange.UpstreamAfter.CLOSE);
    assertThat(exchange.closesClient()).isTrue();
    assertThat(counted("limpet_bad_requests", "status", "400")).isEqualTo(1.0);
  }

  @Test
  void aBrokenRequestBodyAfterTheResponseStartedAbandonsTheExchange() {
    exchange.responsePhase = Exchange.ResponsePhase.RELAYING;

    malformed.inRequest(exchange, new IllegalStateException("bad chunk size"));

    assertThat(endings.asked).containsExactly("abandon");
    assertThat(exchange.upstreamAfter).isEqualTo(Exchange.UpstreamAfter.CLOSE);
  }

  @Test
  void aBrokenResponseBodyBeforeAnythingWentOutIsA502FromTheFailureHooks() {
    exchange.responsePhase = Exchange.ResponsePhase.INFORMATIONAL; // a 100 Continue was skipped

    malformed.inResponse(exchange);

    assertThat(endings.asked).containsExactly("server failed 502 invalid response from server a");
    assertThat(exchange.upstreamAfter).isEqualTo(Exchange.UpstreamAfter.CLOSE);
    assertThat(exchange.closesClient()).isTrue();
    assertThat(counted("limpet_upstream_errors", "kind", "protocol")).isEqualTo(1.0);
  }

  @Test
  void aBrokenResponseBodyMidwayClosesWithoutItsLastChunk() {
    exchange.responsePhase = Exchange.ResponsePhase.RELAYING;

    malformed.inResponse(exchange);

    assertThat(endings.asked).containsExactly("abandon");
    assertThat(exchange.upstreamAfter).isEqualTo(Exchange.UpstreamAfter.CLOSE);
  }
}
