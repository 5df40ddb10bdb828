package dev.limpet.dataplane.tls;

import dev.limpet.contract.PemKeyPair;
import dev.limpet.contract.TlsConfig;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cipher suites HTTP/2 may run over (RFC 9113 §9.2.2: on TLS 1.2 an ephemeral key exchange and
 * an AEAD cipher; every TLS 1.3 suite), as Netty lists them ({@link Http2SecurityUtil#CIPHERS}),
 * and whether a ClientHello offers one of a listener's: a listener offers {@code h2} by ALPN only
 * to a client that will negotiate such a suite with it (see {@link ListenerTls}).
 */
final class Http2Ciphers {
  /**
   * The IANA code point of each suite Netty allows for HTTP/2 (a test holds the two lists equal).
   */
  private static final Map<String, Integer> CODES =
      Map.of(
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 0xC02B,
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xC02F,
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", 0xC02C,
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", 0xC030,
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", 0xCCA9,
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0xCCA8,
          "TLS_AES_128_GCM_SHA256", 0x1301,
          "TLS_AES_256_GCM_SHA384", 0x1302,
          "TLS_CHACHA20_POLY1305_SHA256", 0x1303);

  private Http2Ciphers() {}

  /** The suites this class knows, for the test that holds them equal to Netty's. */
  static Set<String> known() {
    return CODES.keySet();
  }

  /**
   * The suites of {@code tls} that HTTP/2 may use with a certificate whose key is {@code
   * keyAlgorithm} ({@link #keyAlgorithm}), in its order: the TLS 1.2 ones only for that key (an
   * {@code ECDHE_RSA} suite needs an RSA certificate, an {@code ECDHE_ECDSA} one an EC or EdDSA
   * certificate), the TLS 1.3 ones (any key) only when it enables TLS 1.3. Empty: HTTP/2 cannot be
   * offered with this certificate and settings. Keeping the others would let a client that offers
   * only the other key's h2 suites (and CBC suites for this key) choose the h2 context and fail its
   * handshake there, where HTTP/1.1 with every suite would have served it.
   */
  static List<String> of(TlsConfig tls, String keyAlgorithm) {
    boolean tls13 = tls.protocols().contains("TLSv1.3");
    return tls.ciphers().stream()
        .filter(CODES::containsKey)
        .filter(c -> tls13 || !c.startsWith("TLS_AES_") && !c.startsWith("TLS_CHACHA20_"))
        .filter(c -> usableWith(c, keyAlgorithm))
        .toList();
  }

  /** The key algorithm of {@code certificate}'s leaf, as {@link #of} takes it. */
  static String keyAlgorithm(PemKeyPair certificate) {
    return certificate.leaf().getPublicKey().getAlgorithm();
  }

  private static boolean usableWith(String suite, String keyAlgorithm) {
    boolean rsa = keyAlgorithm.startsWith("RSA"); // RSA, RSASSA-PSS
    boolean ecdsa =
        keyAlgorithm.equals("EC") || keyAlgorithm.equals("ECDSA") || keyAlgorithm.startsWith("Ed");
    if (suite.contains("_ECDHE_RSA_")) return rsa || !ecdsa; // unknown keys: as before
    if (suite.contains("_ECDHE_ECDSA_")) return ecdsa || !rsa;
    return true; // TLS 1.3
  }

  /**
   * True when every suite of {@code tls} is one HTTP/2 may use in some case: the h2 context then
   * needs no HTTP/1.1 twin ({@link Http2Offer}), whose extra suites could never be negotiated.
   */
  static boolean allowsEvery(TlsConfig tls) {
    return CODES.keySet().containsAll(tls.ciphers());
  }

  /** The code points of {@code suites} (from {@link #of}). */
  static Set<Integer> codes(List<String> suites) {
    Set<Integer> codes = new HashSet<>();
    for (String suite : suites) codes.add(CODES.get(suite));
    return Set.copyOf(codes);
  }

  /**
   * The suites of this class that the ClientHello {@code body} (after the handshake header) offers,
   * as code points; empty when it offers none or is malformed (the handshake then fails on its
   * own).
   */
  static Set<Integer> offered(ByteBuf body) {
    ByteBuf hello = body.slice(); // reads past the end throw, whatever the buffer's capacity
    Set<Integer> offered = new HashSet<>();
    try {
      int at = 2 + 32; // version, random
      at += 1 + hello.getUnsignedByte(at); // session ID
      int end = at + 2 + hello.getUnsignedShort(at);
      for (int i = at + 2; i + 1 < end; i += 2) {
        int suite = hello.getUnsignedShort(i);
        if (CODES.containsValue(suite)) offered.add(suite);
      }
      return offered;
    } catch (IndexOutOfBoundsException e) {
      return Set.of();
    }
  }
}
