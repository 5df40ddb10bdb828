package dev.limpet.dataplane.proxy;

import static dev.limpet.dataplane.proxy.StageChannels.PORT;
import static dev.limpet.dataplane.proxy.StageChannels.config;
import static dev.limpet.dataplane.proxy.StageChannels.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.NetworkSecurityConfig.DenyAction;
import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import dev.limpet.dataplane.runtime.RuntimeConfig;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AccessTest {
  private final DataPlaneMetrics metrics = new DataPlaneMetrics();
  private EmbeddedChannel channel;

  private EmbeddedChannel from(String client) throws Exception {
    RuntimeConfig config =
        config(
            "{name: guarded, port: "
                + PORT
                + ", hostnames: [guarded.example], pool: web,"
                + " networkSecurity: {deny: [127.0.0.58/32], action: Forbidden}}",
            "{name: open, port: " + PORT + ", hostnames: [open.example], pool: web}");
    channel = StageChannels.from(client, new Route(() -> config, PORT), new Access(metrics));
    return channel;
  }

  @AfterEach
  void close() {
    if (channel != null) channel.finishAndReleaseAll();
  }

  @Test
  void aDeniedClientsRequestBecomesDeniedWithTheVirtualServicesActionAndIsCounted()
      throws Exception {
    EmbeddedChannel ch = from("127.0.0.58");
    ch.writeInbound(get("guarded.example", HttpVersion.HTTP_1_1));
    Object out = ch.readInbound();
    assertThat(out).isInstanceOf(Denied.class);
    Denied denied = (Denied) out;
    assertThat(denied.request().vs().name()).isEqualTo("guarded");
    assertThat(denied.action()).isEqualTo(DenyAction.Forbidden);
    assertThat(
            metrics
                .registry()
                .get("limpet_denied_clients")
                .tag("virtual_service", "guarded")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(ch.isOpen()).isTrue(); // answered in its turn by the proxy, not here
  }

  @Test
  void anAllowedClientOrAnOpenVirtualServiceOrNoVirtualServicePassesOn() throws Exception {
    EmbeddedChannel ch = from("127.0.0.57");
    ch.writeInbound(get("guarded.example", HttpVersion.HTTP_1_1));
    assertThat((Object) ch.readInbound()).isInstanceOf(RoutedRequest.class);
    ch.finishAndReleaseAll();

    ch = from("127.0.0.58");
    ch.writeInbound(get("open.example", HttpVersion.HTTP_1_1));
    assertThat((Object) ch.readInbound()).isInstanceOf(RoutedRequest.class);
    ch.writeInbound(get("nowhere.example", HttpVersion.HTTP_1_1));
    assertThat((Object) ch.readInbound()).isInstanceOf(RoutedRequest.class);
  }
}
