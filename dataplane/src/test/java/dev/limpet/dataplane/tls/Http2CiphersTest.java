package dev.limpet.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.PemKeyPair;
import dev.limpet.contract.TlsConfig;
import dev.limpet.testsupport.TestPki;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/** Which configured suites HTTP/2 may use, and which of them a ClientHello offers. */
class Http2CiphersTest {
  private static final TestPki.Issued EC =
      TestPki.authority("limpet-h2-ciphers-ca").issueEc("ec", List.of("ec.example"));
  private static final SslContext H2 = context();
  private static final SslContext HTTP1_ONLY = context();

  private static SslContext context() {
    try {
      return SslContextBuilder.forClient().build();
    } catch (SSLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static TlsConfig tls(List<String> protocols, List<String> ciphers) {
    return new TlsConfig(List.of(), null, protocols, ciphers, null);
  }

  /** A ClientHello body: version, random, empty session ID, then these suites (and no more). */
  private static ByteBuf hello(int... suites) {
    ByteBuf body = Unpooled.buffer();
    body.writeShort(0x0303).writeZero(32).writeByte(0).writeShort(suites.length * 2);
    for (int suite : suites) body.writeShort(suite);
    return body.writeByte(1).writeByte(0);
  }

  @Test
  void theSuitesHttp2MayUseAreNettys() {
    assertThat(Http2Ciphers.known()).isEqualTo(Set.copyOf(Http2SecurityUtil.CIPHERS));
  }

  @Test
  void theDefaultSuitesAreAllAllowedAndCbcOrNonEphemeralOnesAreNot() {
    assertThat(Http2Ciphers.of(tls(null, null), "RSA"))
        .containsExactly(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    assertThat(Http2Ciphers.of(tls(null, null), "UNKNOWN")).isEqualTo(TlsConfig.MODERN_CIPHERS);
    assertThat(
            Http2Ciphers.of(
                tls(
                    null,
                    List.of(
                        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                        "TLS_RSA_WITH_AES_128_GCM_SHA256",
                        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")),
                "RSA"))
        .containsExactly("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    // TLS 1.3 suites count only where TLS 1.3 is enabled
    assertThat(
            Http2Ciphers.of(
                tls(
                    List.of("TLSv1.2"),
                    List.of("TLS_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA")),
                "RSA"))
        .isEmpty();
  }

  @Test
  void theTls12SuitesAreOnlyThoseOfTheCertificatesKey() {
    TlsConfig mixed =
        tls(
            null,
            List.of(
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                "TLS_AES_128_GCM_SHA256"));
    assertThat(Http2Ciphers.of(mixed, "EC"))
        .containsExactly("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256");
    assertThat(Http2Ciphers.of(mixed, "Ed25519"))
        .containsExactly("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256");
    assertThat(Http2Ciphers.of(mixed, "RSA"))
        .containsExactly("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256");
    assertThat(Http2Ciphers.keyAlgorithm(PemKeyPair.parse(EC.certificatePem(), EC.keyPem())))
        .isEqualTo("EC");
  }

  @Test
  void anEcdsaCertificateServesHttp11ToAClientWithOnlyRsaSuitesForHttp2() {
    // an ECDSA certificate; the client offers ECDHE_RSA with GCM (h2-capable, but not with this
    // key) and ECDHE_ECDSA with CBC: only HTTP/1.1 over CBC can complete its handshake
    TlsConfig tls =
        tls(
            List.of("TLSv1.2"),
            List.of(
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"));
    List<String> http2 = Http2Ciphers.of(tls, "EC");
    assertThat(Http2Ciphers.allowsEvery(tls)).isFalse();
    Http2Offer offer = new Http2Offer(HTTP1_ONLY, Http2Ciphers.codes(http2));
    assertThat(offer.contextFor(H2, Http2Ciphers.offered(hello(0xC02F, 0xC009))))
        .isSameAs(HTTP1_ONLY);
    assertThat(offer.contextFor(H2, Http2Ciphers.offered(hello(0xC02B, 0xC009)))).isSameAs(H2);
  }

  @Test
  void readsTheOfferedSuitesOfAClientHello() {
    assertThat(Http2Ciphers.offered(hello(0xC013, 0xC02F, 0x1301))).containsOnly(0xC02F, 0x1301);
    assertThat(Http2Ciphers.offered(hello(0xC013, 0x002F))).isEmpty();
    // cut short: nothing offered, the handshake fails on its own
    ByteBuf truncated = hello(0xC02F);
    assertThat(Http2Ciphers.offered(truncated.slice(0, 36))).isEmpty();
  }
}
