package dev.limpet.dataplane.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The configuration document of the TLS tests: one virtual service {@code web} on 127.0.0.1 and the
 * fixture's {@code ${port}}, terminating TLS with the given certificates, in front of pool {@code
 * web}.
 */
public final class TlsDocument {
  private final List<String> certificates = new ArrayList<>();
  private final List<String> tlsLines = new ArrayList<>();
  private final List<String> tailLines = new ArrayList<>();
  private String version = "0";
  private String poolExtra = "";

  /** A certificate from {@code <dir>/<certificateBase>.crt} and {@code <dir>/<keyBase>.key}. */
  public TlsDocument file(String name, Path dir, String certificateBase, String keyBase) {
    certificates.add(
        "{name: %s, certificateFile: %s/%s.crt, keyFile: %s/%s.key}"
            .formatted(name, dir, certificateBase, dir, keyBase));
    return this;
  }

  /** A certificate from the TLS Secret, named by digest. */
  public TlsDocument secret(String name, String secretKey, String sha256) {
    certificates.add("{name: %s, secretKey: %s, sha256: %s}".formatted(name, secretKey, sha256));
    return this;
  }

  /** A line of the tls block, e.g. {@code protocols: [TLSv1.3]}; a blank one is left out. */
  public TlsDocument tls(String line) {
    if (!line.isBlank()) tlsLines.add(line);
    return this;
  }

  /** A line of the pool, e.g. {@code persistenceProfile: sticky}. */
  public TlsDocument pool(String line) {
    poolExtra = line;
    return this;
  }

  /** A top-level line after the pools, e.g. {@code persistenceProfiles: [...]}. */
  public TlsDocument tail(String line) {
    tailLines.add(line);
    return this;
  }

  public TlsDocument version(String version) {
    this.version = version;
    return this;
  }

  /** The document, with the fixture's servers as the pool's. */
  public String render(String servers) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("version: \"").append(version).append("\"\n");
    yaml.append("virtualServices:\n");
    yaml.append("  - name: web\n    address: 127.0.0.1\n    port: ${port}\n    pool: web\n");
    yaml.append("    tls:\n      certificates:\n");
    certificates.forEach(c -> yaml.append("        - ").append(c).append('\n'));
    tlsLines.forEach(l -> yaml.append("      ").append(l).append('\n'));
    yaml.append("pools:\n  - name: web\n    servers: ").append(servers).append('\n');
    if (!poolExtra.isEmpty()) yaml.append("    ").append(poolExtra).append('\n');
    tailLines.forEach(l -> yaml.append(l).append('\n'));
    return yaml.toString();
  }
}
