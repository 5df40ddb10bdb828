package dev.limpet.contract;

/**
 * Client certificates on a TLS listener (Avi's application profile "client certificate
 * validation"): the handshake asks for one and checks it against {@code caCertificates}; {@code
 * avi.ssl.client_cert} then reads it.
 *
 * @param mode {@code REQUEST}: a client may present none, one it presents must be trusted; {@code
 *     REQUIRE}: a client without a trusted certificate fails the handshake
 * @param caCertificates PEM certificates of the authorities client certificates must chain to
 */
public record ClientCertificatesConfig(Mode mode, String caCertificates) {
  public enum Mode {
    REQUEST,
    REQUIRE
  }
}
