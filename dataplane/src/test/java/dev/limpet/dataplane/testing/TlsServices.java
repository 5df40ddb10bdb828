package dev.limpet.dataplane.testing;

import dev.limpet.testsupport.TestPki;
import java.nio.file.Path;

/** Configurations with a TLS virtual service, for tests. */
public final class TlsServices {
  private TlsServices() {}

  /**
   * A TLS virtual service ({@code web} on {@code ${port}}) over the pool {@code web}, balanced
   * round robin (a client that is not pinned moves at once), with the TLS persistence profile
   * {@code session}; the certificate is written into {@code dir}.
   */
  public static String withTlsPersistence(Path dir, TestPki.Issued certificate, String servers) {
    certificate.write(dir, "tls");
    return """
        virtualServices:
          - name: web
            address: 127.0.0.1
            port: ${port}
            pool: web
            tls:
              certificates: [{name: tls, certificateFile: %1$s/tls.crt, keyFile: %1$s/tls.key}]
        pools:
          - {name: web, persistenceProfile: session, servers: %2$s}
        persistenceProfiles:
          - {name: session, type: TLS}
        """
        .formatted(dir, servers);
  }
}
