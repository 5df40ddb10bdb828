package dev.limpet.contract;

import java.util.Set;

/**
 * Checks a virtual service's TLS block: its certificates, protocols and ciphers, the upstream TLS
 * and the client certificates it asks for.
 */
final class TlsValidator {
  private final ConfigProblems problems;

  TlsValidator(ConfigProblems problems) {
    this.problems = problems;
  }

  void check(String path, TlsConfig tls) {
    if (tls.certificates().isEmpty()) problems.add(path + ".certificates", "needs at least one");
    Set<String> certificates =
        problems.names(tls.certificates(), TlsCertificateConfig::name, path + ".certificates");
    for (int i = 0; i < tls.certificates().size(); i++)
      certificate(path + ".certificates[" + i + "]", tls.certificates().get(i));
    if (tls.defaultCertificate() != null && !certificates.contains(tls.defaultCertificate()))
      problems.add(
          path + ".defaultCertificate", "no certificate named '" + tls.defaultCertificate() + "'");
    for (int i = 0; i < tls.protocols().size(); i++) {
      if (!TlsConfig.PROTOCOLS.contains(tls.protocols().get(i)))
        problems.add(
            path + ".protocols[" + i + "]",
            "'" + tls.protocols().get(i) + "' is not one of " + TlsConfig.PROTOCOLS);
    }
    for (int i = 0; i < tls.ciphers().size(); i++) {
      if (!TlsConfig.SUPPORTED_CIPHERS.contains(tls.ciphers().get(i)))
        problems.add(
            path + ".ciphers[" + i + "]",
            "'"
                + tls.ciphers().get(i)
                + "' is not a supported cipher suite (IANA names: "
                + String.join(", ", TlsConfig.SUPPORTED_CIPHERS)
                + ")");
    }
    upstream(path + ".upstream", tls.upstream());
    clientCertificates(path + ".clientCertificates", tls.clientCertificates());
  }

  /** A certificate comes from files or from the data plane's TLS Secret, never both. */
  private void certificate(String path, TlsCertificateConfig c) {
    boolean files = c.certificateFile() != null || c.keyFile() != null;
    if (files && c.fromSecret())
      problems.add(path, "give certificateFile and keyFile, or secretKey, not both");
    else if (files && (c.certificateFile() == null || c.keyFile() == null))
      problems.add(
          path + (c.certificateFile() == null ? ".certificateFile" : ".keyFile"),
          "is required with " + (c.certificateFile() == null ? "keyFile" : "certificateFile"));
    else if (!files && !c.fromSecret())
      problems.add(path, "needs certificateFile and keyFile, or secretKey and sha256");
    if (c.fromSecret() && !files) {
      if (!ConfigProblems.SECRET_KEY.matcher(c.secretKey()).matches())
        problems.add(path + ".secretKey", "'" + c.secretKey() + "' is not a valid Secret key");
      if (c.sha256() == null || !ConfigProblems.SHA256.matcher(c.sha256()).matches())
        problems.add(path + ".sha256", "64 lower-case hex digits are required with secretKey");
    } else if (c.sha256() != null) {
      problems.add(path + ".sha256", "is only allowed with secretKey");
    }
    problems.hostnames(path + ".hostnames", c.hostnames());
  }

  private void upstream(String path, UpstreamTlsConfig up) {
    if (up == null) return;
    if (up.caFile() != null && up.caCertificates() != null)
      problems.add(path, "give caFile or caCertificates, not both");
    if (!up.verify() && (up.caFile() != null || up.caCertificates() != null))
      problems.add(path + ".verify", "is false: a CA bundle would not be used");
    if (up.serverName() != null && !ConfigProblems.HOSTNAME.matcher(up.serverName()).matches())
      problems.add(path + ".serverName", "'" + up.serverName() + "' is not a hostname");
  }

  private void clientCertificates(String path, ClientCertificatesConfig clients) {
    if (clients == null) return;
    if (clients.mode() == null) problems.add(path + ".mode", "is required: REQUEST or REQUIRE");
    if (clients.caCertificates() == null) problems.add(path + ".caCertificates", "is required");
    else {
      try {
        PemKeyPair.certificates(clients.caCertificates());
      } catch (IllegalArgumentException e) {
        problems.add(path + ".caCertificates", e.getMessage());
      }
    }
  }
}
