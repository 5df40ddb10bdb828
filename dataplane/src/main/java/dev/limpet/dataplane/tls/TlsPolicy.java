package dev.limpet.dataplane.tls;

import dev.limpet.contract.ClientCertificatesConfig;
import dev.limpet.contract.TlsConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * What a handshake enforces for a virtual service: its client-certificate requirement and trust,
 * protocols and cipher suites. Not the certificate (a renewal keeps the policy) nor ALPN (HTTP/2 on
 * or off changes no check the handshake made). A connection may carry a service's requests only
 * when its handshake ran with the policy that service demands now ({@link
 * ListenerTls#servesOnConnection}).
 */
record TlsPolicy(
    ClientCertificatesConfig clientCertificates, List<String> protocols, List<String> ciphers) {
  static TlsPolicy of(TlsConfig tls) {
    return new TlsPolicy(tls.clientCertificates(), tls.protocols(), tls.ciphers());
  }

  /**
   * The TLS session ID context of the contexts with this policy (OpenSSL's {@code sid_ctx}, at most
   * 32 bytes): a session resumes only where it was made with the same policy, so a client cannot
   * resume a session from before a configuration added client certificates and skip them. A digest
   * of the policy, so the replicas of one configuration (which share ticket keys) and a renewed
   * certificate still resume each other's sessions.
   */
  byte[] sessionIdContext() {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(toString().getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
