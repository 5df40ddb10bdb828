package dev.limpet.contract;

/**
 * TLS from the data plane to the servers of a virtual service (re-encryption).
 *
 * @param verify check the server's certificate (default true): against {@code caFile} or {@code
 *     caCertificates} when given, else the JVM's trusted roots; the name checked is {@code
 *     serverName}, else the server's IP address
 * @param caFile a PEM bundle of the certificate authorities to trust
 * @param caCertificates the same bundle inline (PEM text), as the operator renders it
 * @param serverName sent as SNI and checked against the certificate; default: none sent, the IP
 *     address checked
 */
public record UpstreamTlsConfig(
    Boolean verify, String caFile, String caCertificates, String serverName) {

  public UpstreamTlsConfig {
    verify = Defaults.orElse(verify, Boolean.TRUE);
  }
}
