package dev.limpet.dataplane.script;

import java.util.Map;

/**
 * OpenSSL's names and descriptions of the cipher suites Limpet's listeners accept (the IANA names
 * of {@code TlsConfig.SUPPORTED_CIPHERS}), which Avi's {@code avi.ssl.cipher} returns: scripts
 * compare against {@code "ECDHE-RSA-AES128-GCM-SHA256"}, not the IANA name the JDK reports.
 */
final class CipherSuiteNames {
  /**
   * One suite: OpenSSL name and the key exchange, authentication, encryption and MAC columns of
   * {@code openssl ciphers -v}.
   */
  record Suite(String openSslName, String kx, String au, String enc, String mac) {
    /** {@code openssl ciphers -v}'s line, single-spaced, with the negotiated protocol. */
    String description(String protocol) {
      if (kx == null) return openSslName + " " + protocol;
      return String.join(
          " ", openSslName, protocol, "Kx=" + kx, "Au=" + au, "Enc=" + enc, "Mac=" + mac);
    }
  }

  private static final Map<String, Suite> BY_IANA_NAME =
      Map.ofEntries(
          tls13("TLS_AES_128_GCM_SHA256", "AESGCM(128)"),
          tls13("TLS_AES_256_GCM_SHA384", "AESGCM(256)"),
          tls13("TLS_CHACHA20_POLY1305_SHA256", "CHACHA20/POLY1305(256)"),
          suite(
              "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
              "ECDHE-ECDSA-AES128-GCM-SHA256",
              "ECDH",
              "ECDSA",
              "AESGCM(128)",
              "AEAD"),
          suite(
              "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
              "ECDHE-ECDSA-AES256-GCM-SHA384",
              "ECDH",
              "ECDSA",
              "AESGCM(256)",
              "AEAD"),
          suite(
              "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
              "ECDHE-ECDSA-CHACHA20-POLY1305",
              "ECDH",
              "ECDSA",
              "CHACHA20/POLY1305(256)",
              "AEAD"),
          suite(
              "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
              "ECDHE-RSA-AES128-GCM-SHA256",
              "ECDH",
              "RSA",
              "AESGCM(128)",
              "AEAD"),
          suite(
              "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
              "ECDHE-RSA-AES256-GCM-SHA384",
              "ECDH",
              "RSA",
              "AESGCM(256)",
              "AEAD"),
          suite(
              "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
              "ECDHE-RSA-CHACHA20-POLY1305",
              "ECDH",
              "RSA",
              "CHACHA20/POLY1305(256)",
              "AEAD"),
          suite(
              "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
              "ECDHE-ECDSA-AES128-SHA",
              "ECDH",
              "ECDSA",
              "AES(128)",
              "SHA1"),
          suite(
              "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
              "ECDHE-ECDSA-AES256-SHA",
              "ECDH",
              "ECDSA",
              "AES(256)",
              "SHA1"),
          suite(
              "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
              "ECDHE-RSA-AES128-SHA",
              "ECDH",
              "RSA",
              "AES(128)",
              "SHA1"),
          suite(
              "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
              "ECDHE-RSA-AES256-SHA",
              "ECDH",
              "RSA",
              "AES(256)",
              "SHA1"),
          suite(
              "TLS_RSA_WITH_AES_128_GCM_SHA256",
              "AES128-GCM-SHA256",
              "RSA",
              "RSA",
              "AESGCM(128)",
              "AEAD"),
          suite(
              "TLS_RSA_WITH_AES_256_GCM_SHA384",
              "AES256-GCM-SHA384",
              "RSA",
              "RSA",
              "AESGCM(256)",
              "AEAD"),
          suite("TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA", "RSA", "RSA", "AES(128)", "SHA1"),
          suite("TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA", "RSA", "RSA", "AES(256)", "SHA1"));

  private CipherSuiteNames() {}

  private static Map.Entry<String, Suite> tls13(String name, String enc) {
    return Map.entry(name, new Suite(name, "any", "any", enc, "AEAD"));
  }

  private static Map.Entry<String, Suite> suite(
      String iana, String openSsl, String kx, String au, String enc, String mac) {
    return Map.entry(iana, new Suite(openSsl, kx, au, enc, mac));
  }

  /** The suite a session negotiated; one Limpet does not list keeps its IANA name. */
  static Suite of(String ianaName) {
    Suite suite = BY_IANA_NAME.get(ianaName);
    return suite != null ? suite : new Suite(ianaName, null, null, null, null);
  }
}
