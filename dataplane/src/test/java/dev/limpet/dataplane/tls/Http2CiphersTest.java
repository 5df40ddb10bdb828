package dev.limpet.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.TlsConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which configured suites HTTP/2 may use, and which of them a ClientHello offers. */
class Http2CiphersTest {
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
    assertThat(Http2Ciphers.of(tls(null, null))).isEqualTo(TlsConfig.MODERN_CIPHERS);
    assertThat(
            Http2Ciphers.of(
                tls(
                    null,
                    List.of(
                        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                        "TLS_RSA_WITH_AES_128_GCM_SHA256",
                        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"))))
        .containsExactly("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    // TLS 1.3 suites count only where TLS 1.3 is enabled
    assertThat(
            Http2Ciphers.of(
                tls(
                    List.of("TLSv1.2"),
                    List.of("TLS_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA"))))
        .isEmpty();
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
