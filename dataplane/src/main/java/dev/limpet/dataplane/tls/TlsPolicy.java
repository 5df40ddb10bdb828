package dev.limpet.dataplane.tls;

import dev.limpet.contract.ClientCertificatesConfig;
import dev.limpet.contract.TlsConfig;
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
}
