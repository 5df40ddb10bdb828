package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The switch of an upgraded exchange (WebSocket) to a byte tunnel, and the tunnel it makes. */
class TunnelHandlerTest {
  private final ReadCounter clientReads = new ReadCounter();
  private final ReadCounter upstreamReads = new ReadCounter();
  private EmbeddedChannel client;
  private EmbeddedChannel upstream;

  @BeforeEach
  void connect() {
    client = StageChannels.from("127.0.0.9", clientReads);
    client
        .pipeline()
        .addLast(RequestClock.NAME, new RequestClock())
        .addLast(FrontendHandler.CODEC, new ChannelInboundHandlerAdapter())
        .addLast(RequestFraming.NAME, new ChannelInboundHandlerAdapter())
        .addLast(FrontendHandler.NAME, new ChannelInboundHandlerAdapter());
    upstream = new EmbeddedChannel(upstreamReads);
    upstream
        .pipeline()
        .addLast(UpstreamConnectionPool.CODEC, new ChannelInboundHandlerAdapter())
        .addLast(UpstreamHandler.NAME, new ChannelInboundHandlerAdapter());
    client.config().setAutoRead(false);
    upstream.config().setAutoRead(false);
    clientReads.reads = 0; // the reads of activation
    upstreamReads.reads = 0;
  }

  @AfterEach
  void close() {
    client.finishAndReleaseAll();
    upstream.finishAndReleaseAll();
  }

  private static ByteBuf bytes(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
  }

  private static String text(Object buf) {
    String s = ((ByteBuf) buf).toString(StandardCharsets.UTF_8);
    ((ByteBuf) buf).release();
    return s;
  }

  @Test
  void bothPipelinesLoseTheirHttpHandlersAndReadOnce() {
    TunnelHandler.join(client, upstream);

    assertThat(client.pipeline().names())
        .contains("tunnel")
        .doesNotContain(
            RequestClock.NAME, FrontendHandler.CODEC, RequestFraming.NAME, FrontendHandler.NAME);
    assertThat(upstream.pipeline().names())
        .contains("tunnel")
        .doesNotContain(UpstreamConnectionPool.CODEC, UpstreamHandler.NAME);
    assertThat(clientReads.reads).isEqualTo(1);
    assertThat(upstreamReads.reads).isEqualTo(1);
  }

  @Test
  void bytesCrossBothWaysAndEachSideIsReadAgainOnlyOnceItsBytesWereWritten() {
    TunnelHandler.join(client, upstream);

    client.writeInbound(bytes("hello"));
    assertThat(text(upstream.readOutbound())).isEqualTo("hello");
    assertThat(clientReads.reads).isEqualTo(2);
    assertThat(upstreamReads.reads).isEqualTo(1);

    upstream.writeInbound(bytes("world"));
    assertThat(text(client.readOutbound())).isEqualTo("world");
    assertThat(upstreamReads.reads).isEqualTo(2);
  }

  @Test
  void whenOneSideClosesSoDoesTheOther() {
    TunnelHandler.join(client, upstream);

    upstream.close();
    client.runPendingTasks();

    assertThat(client.isOpen()).isFalse();
  }
}
