package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which timeout passed and what it does to the connection. Deadlines that have surely passed (a
 * timeout of 0) or surely not (an hour) keep it free of timing.
 */
class TimeoutsTest {
  private static final int HOUR_MS = 3_600_000;
  private final DataPlaneMetrics metrics = new DataPlaneMetrics();
  private final RecordedEndings endings = new RecordedEndings();
  private final AtomicInteger wakeUps = new AtomicInteger();
  private EmbeddedChannel client;

  @BeforeEach
  void connect() {
    client = StageChannels.from("127.0.0.9", new ChannelInboundHandlerAdapter());
  }

  @AfterEach
  void close() {
    client.finishAndReleaseAll();
  }

  /** The timeouts stage of {@link #client} with the given header-read and client-idle timeouts. */
  private Timeouts timeouts(int headerReadMs, int clientIdleMs) {
    return new Timeouts(
        client.pipeline().firstContext(),
        new Deadlines(new ListenerSettings(clientIdleMs, headerReadMs, 1024, 8192, false)),
        new RequestClock(),
        metrics,
        endings,
        wakeUps::incrementAndGet);
  }

  private Exchange exchange() throws Exception {
    Exchange e = StageChannels.webExchange();
    e.upstream = new EmbeddedChannel();
    e.requestPhase = Exchange.RequestPhase.RECEIVED;
    return e;
  }

  @Test
  void anIdleConnectionPastItsTimeoutIsClosedAndOneWithinItStaysOpen() {
    Timeouts patient = timeouts(HOUR_MS, HOUR_MS);
    patient.start();
    patient.check(null, false);
    assertThat(client.isOpen()).isTrue();

    Timeouts impatient = timeouts(HOUR_MS, 0);
    impatient.idle();
    impatient.check(null, true); // pipelined requests wait: the connection is not idle
    assertThat(client.isOpen()).isTrue();
    impatient.check(null, false);
    assertThat(client.isOpen()).isFalse();
    assertThat(endings.asked).isEmpty();
  }

  @Test
  void aHeadTooSlowToArriveIsRefusedWith408() {
    timeouts(HOUR_MS, HOUR_MS).expired(Deadlines.Kind.HEADER_READ, null);

    assertThat(endings.asked).containsExactly("refuse 408 request headers not received in time");
  }

  @Test
  void aStalledRequestBodyClosesTheConnection() throws Exception {
    Timeouts timeouts = timeouts(HOUR_MS, 0);
    Exchange e = exchange();
    e.requestPhase = Exchange.RequestPhase.RECEIVING;

    timeouts.check(e, false);

    assertThat(client.isOpen()).isFalse();
    assertThat(endings.asked).isEmpty();
    e.upstream.close();
  }

  @Test
  void aServerTooSlowIsA504BeforeItsResponseAndACloseAfter() throws Exception {
    Timeouts timeouts = timeouts(HOUR_MS, HOUR_MS);
    Exchange awaited = exchange();
    timeouts.expired(Deadlines.Kind.UPSTREAM_RESPONSE, awaited);

    Exchange relaying = exchange();
    relaying.responsePhase = Exchange.ResponsePhase.RELAYING;
    timeouts.expired(Deadlines.Kind.UPSTREAM_RESPONSE, relaying);

    assertThat(endings.asked)
        .containsExactly("server failed 504 server a did not answer in time", "close client");
    assertThat(awaited.closesClient()).isTrue(); // the server may still answer: not on this one
    var counter =
        metrics.registry().find("limpet_upstream_errors").tag("kind", "timeout").counter();
    assertThat(counter.count()).isEqualTo(2.0);
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void anExchangeWhoseServerIsWithinItsTimeIsLeftAlone() throws Exception {
    Timeouts timeouts = timeouts(HOUR_MS, HOUR_MS);
    Exchange e = exchange();
    timeouts.awaitResponse(e); // the pool's response timeout is long

    timeouts.check(e, false);

    assertThat(endings.asked).isEmpty();
    assertThat(client.isOpen()).isTrue();
  }
}
