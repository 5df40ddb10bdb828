package dev.limpet.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.ClientCertificatesConfig;
import dev.limpet.contract.TlsConfig;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.AttributeKey;
import io.netty.util.DomainWildcardMappingBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which requests a connection may carry (the 421 check): those of hosts this listener serves with
 * the certificate it serves the connection's SNI name with, and of services whose policy the
 * handshake enforced; also after a certificate was renewed while the connection was open.
 */
class ListenerTlsCoalescingTest {
  private static final AttributeKey<String> SERVER_NAME =
      AttributeKey.valueOf(ListenerTls.class, "serverName");
  private static final AttributeKey<TlsPolicy> POLICY =
      AttributeKey.valueOf(ListenerTls.class, "policy");

  private static final TlsPolicy OPEN =
      TlsPolicy.of(new TlsConfig(List.of(), null, null, null, null));
  private static final TlsPolicy CLIENT_CERTIFICATES =
      TlsPolicy.of(
          new TlsConfig(
              List.of(),
              null,
              null,
              null,
              null,
              new ClientCertificatesConfig(ClientCertificatesConfig.Mode.REQUIRE, "<PEM>")));

  private static SslContext context() throws Exception {
    return SslContextBuilder.forClient().build();
  }

  /**
   * a.example and c.example on certificate "ac" (services a and c), b.example on certificate "b"
   * (service b), all without client certificates; {@code adminPolicy} is what service admin
   * demands.
   */
  private static ListenerTls listener(
      SslContext ac, SslContext b, String acDigest, TlsPolicy adminPolicy) {
    return new ListenerTls(
        new DomainWildcardMappingBuilder<>(ac)
            .add("a.example", ac)
            .add("c.example", ac)
            .add("b.example", b)
            .build(),
        null,
        Map.of(ac, new ListenerTls.Served(acDigest, OPEN), b, new ListenerTls.Served("b", OPEN)),
        Map.of("a", OPEN, "c", OPEN, "b", OPEN, "admin", adminPolicy),
        Map.of());
  }

  /** A connection whose handshake enforced {@code policy} for SNI {@code sni}. */
  private static EmbeddedChannel connection(String sni, TlsPolicy policy) {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.attr(SERVER_NAME).set(sni);
    channel.attr(POLICY).set(policy);
    return channel;
  }

  @Test
  void theHostsOfTheConnectionsCertificateAreServedAndOthersAreNot() throws Exception {
    ListenerTls tls = listener(context(), context(), "ac", OPEN);
    EmbeddedChannel channel = connection("a.example", OPEN);
    assertThat(tls.servesOnConnection(channel, "a.example", "a")).isTrue();
    assertThat(tls.servesOnConnection(channel, "c.example", "c")).isTrue();
    assertThat(tls.servesOnConnection(channel, "b.example", "b")).isFalse();
    // no handshake recorded: not a TLS connection of this listener
    assertThat(tls.servesOnConnection(connection("a.example", null), "a.example", "a")).isFalse();
    // no SNI: the default certificate's hosts
    assertThat(tls.servesOnConnection(connection(null, OPEN), "a.example", "a")).isTrue();
    assertThat(tls.servesOnConnection(connection(null, OPEN), "b.example", "b")).isFalse();
  }

  @Test
  void aServiceWhosePolicyTheHandshakeDidNotEnforceIsNotServed() throws Exception {
    ListenerTls tls = listener(context(), context(), "ac", CLIENT_CERTIFICATES);
    // the host maps to the connection's certificate, but the request's service demands more
    assertThat(tls.servesOnConnection(connection("a.example", OPEN), "a.example", "admin"))
        .isFalse();
    assertThat(tls.servesOnConnection(connection("a.example", OPEN), "a.example", "a")).isTrue();
    // and a connection that enforced more does not serve a service that demands another policy
    assertThat(
            tls.servesOnConnection(connection("a.example", CLIENT_CERTIFICATES), "a.example", "a"))
        .isFalse();
    assertThat(
            tls.servesOnConnection(
                connection("a.example", CLIENT_CERTIFICATES), "a.example", "admin"))
        .isTrue();
    // an unknown service (removed by a reload) is not served
    assertThat(tls.servesOnConnection(connection("a.example", OPEN), "a.example", "gone"))
        .isFalse();
  }

  @Test
  void aReloadThatAddsClientCertificatesRefusesTheConnectionsOpenedBefore() throws Exception {
    EmbeddedChannel channel = connection("a.example", OPEN);
    assertThat(
            listener(context(), context(), "ac", OPEN)
                .servesOnConnection(channel, "a.example", "admin"))
        .isTrue();
    ListenerTls reloaded = listener(context(), context(), "ac", CLIENT_CERTIFICATES);
    assertThat(reloaded.servesOnConnection(channel, "a.example", "admin")).isFalse();
  }

  @Test
  void aRenewedCertificateStillServesTheConnectionsOpenedBeforeIt() throws Exception {
    EmbeddedChannel channel = connection("a.example", OPEN);
    ListenerTls renewed = listener(context(), context(), "ac-renewed", OPEN);
    assertThat(renewed.servesOnConnection(channel, "a.example", "a")).isTrue();
    assertThat(renewed.servesOnConnection(channel, "c.example", "c")).isTrue();
    assertThat(renewed.servesOnConnection(channel, "b.example", "b")).isFalse();
  }
}
