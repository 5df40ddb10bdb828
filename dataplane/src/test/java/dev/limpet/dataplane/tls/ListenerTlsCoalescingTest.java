package dev.limpet.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.AttributeKey;
import io.netty.util.DomainWildcardMappingBuilder;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which hosts an HTTP/2 connection may carry (the 421 check): those this listener serves with the
 * certificate it serves the connection's SNI name with, also after a certificate was renewed while
 * the connection was open.
 */
class ListenerTlsCoalescingTest {
  private static final AttributeKey<String> SERVER_NAME =
      AttributeKey.valueOf(ListenerTls.class, "serverName");
  private static final AttributeKey<SslContext> CERTIFICATE =
      AttributeKey.valueOf(ListenerTls.class, "certificate");

  /**
   * a.example and c.example on one certificate (services a and c), b.example on another (service
   * b); service admin has a context no name maps to (the same certificate file as a's with another
   * client-certificate policy: a's context answers the name first).
   */
  private static ListenerTls listener(SslContext ac, SslContext b, SslContext admin) {
    return new ListenerTls(
        new DomainWildcardMappingBuilder<>(ac)
            .add("a.example", ac)
            .add("c.example", ac)
            .add("b.example", b)
            .build(),
        null,
        Map.of("a", Set.of(ac), "c", Set.of(ac), "b", Set.of(b), "admin", Set.of(admin)),
        Map.of());
  }

  private static ListenerTls listener(SslContext ac, SslContext b) throws Exception {
    return listener(ac, b, SslContextBuilder.forClient().build());
  }

  /** A connection whose handshake chose {@code chosen} for SNI {@code sni}. */
  private static EmbeddedChannel connection(String sni, SslContext chosen) {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.attr(SERVER_NAME).set(sni);
    channel.attr(CERTIFICATE).set(chosen);
    return channel;
  }

  @Test
  void theHostsOfTheConnectionsCertificateAreServedAndOthersAreNot() throws Exception {
    SslContext ac = SslContextBuilder.forClient().build();
    SslContext b = SslContextBuilder.forClient().build();
    ListenerTls tls = listener(ac, b);
    EmbeddedChannel channel = connection("a.example", ac);
    assertThat(tls.servesOnConnection(channel, "a.example", "a")).isTrue();
    assertThat(tls.servesOnConnection(channel, "c.example", "c")).isTrue();
    assertThat(tls.servesOnConnection(channel, "b.example", "b")).isFalse();
    assertThat(tls.servesOnConnection(connection("a.example", null), "a.example", "a")).isFalse();
    // no SNI: the default certificate's hosts
    assertThat(tls.servesOnConnection(connection(null, ac), "a.example", "a")).isTrue();
    assertThat(tls.servesOnConnection(connection(null, ac), "b.example", "b")).isFalse();
  }

  @Test
  void aServiceWhosePolicyTheHandshakeDidNotApplyIsNotServed() throws Exception {
    SslContext ac = SslContextBuilder.forClient().build();
    SslContext admin = SslContextBuilder.forClient().build();
    ListenerTls tls = listener(ac, SslContextBuilder.forClient().build(), admin);
    // the host maps to the connection's certificate, but the request's service has other settings
    assertThat(tls.servesOnConnection(connection("a.example", ac), "a.example", "admin")).isFalse();
    assertThat(tls.servesOnConnection(connection("a.example", ac), "a.example", "a")).isTrue();
  }

  @Test
  void aRenewedCertificateStillServesTheConnectionsOpenedBeforeIt() throws Exception {
    SslContext before = SslContextBuilder.forClient().build();
    SslContext b = SslContextBuilder.forClient().build();
    EmbeddedChannel channel = connection("a.example", before);
    ListenerTls renewed = listener(SslContextBuilder.forClient().build(), b);
    assertThat(renewed.servesOnConnection(channel, "a.example", "a")).isTrue();
    assertThat(renewed.servesOnConnection(channel, "c.example", "c")).isTrue();
    assertThat(renewed.servesOnConnection(channel, "b.example", "b")).isFalse();
  }
}
