package dev.limpet.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * TLS termination of a virtual service: its certificates (chosen by SNI, with a default), the
 * protocols and cipher suites it accepts, and optionally TLS towards its servers.
 *
 * @param certificates at least one; SNI picks among them, the default answers when none matches
 * @param defaultCertificate the name of the certificate served without SNI or without a match
 *     (default: the first)
 * @param protocols default {@code [TLSv1.2, TLSv1.3]}
 * @param ciphers TLS 1.2 and 1.3 cipher suites by their IANA names (default {@link
 *     #MODERN_CIPHERS})
 * @param upstream null: plain HTTP to the servers
 * @param clientCertificates null: the listener asks for no client certificate
 */
public record TlsConfig(
    List<TlsCertificateConfig> certificates,
    String defaultCertificate,
    List<String> protocols,
    List<String> ciphers,
    UpstreamTlsConfig upstream,
    @JsonInclude(JsonInclude.Include.NON_NULL) ClientCertificatesConfig clientCertificates) {

  public static final List<String> PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");

  /**
   * Forward-secret AEAD suites only (Mozilla's "intermediate" list): TLS 1.3's three, then TLS
   * 1.2's ECDHE with AES-GCM or ChaCha20-Poly1305.
   */
  public static final List<String> MODERN_CIPHERS =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  /** The suites both providers (OpenSSL/BoringSSL and the JDK) offer; others are refused. */
  public static final List<String> SUPPORTED_CIPHERS =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
          "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
          "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
          "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
          "TLS_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_RSA_WITH_AES_128_CBC_SHA",
          "TLS_RSA_WITH_AES_256_CBC_SHA");

  public TlsConfig {
    certificates = Defaults.list(certificates);
    if (defaultCertificate == null && !certificates.isEmpty())
      defaultCertificate = certificates.get(0).name();
    protocols = Defaults.list(protocols).isEmpty() ? PROTOCOLS : List.copyOf(protocols);
    ciphers = Defaults.list(ciphers).isEmpty() ? MODERN_CIPHERS : List.copyOf(ciphers);
  }

  /** A listener that asks for no client certificate. */
  public TlsConfig(
      List<TlsCertificateConfig> certificates,
      String defaultCertificate,
      List<String> protocols,
      List<String> ciphers,
      UpstreamTlsConfig upstream) {
    this(certificates, defaultCertificate, protocols, ciphers, upstream, null);
  }
}
