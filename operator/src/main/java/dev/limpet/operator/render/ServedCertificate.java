package dev.limpet.operator.render;

import dev.limpet.contract.TlsCertificateConfig;

/**
 * A certificate a virtual service serves, as it goes into the group's TLS Secret (keys {@code
 * <secretName>.crt} and {@code <secretName>.key}) and, by digest, into its configuration.
 *
 * @param secretName the user's Secret it comes from
 */
public record ServedCertificate(String secretName, String certificatePem, String keyPem) {

  /** What the configuration names it by, so that a data plane applies it only with this content. */
  public String sha256() {
    return TlsCertificateConfig.digest(certificatePem, keyPem);
  }
}
