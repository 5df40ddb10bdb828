package dev.limpet.operator.server;

import io.fabric8.kubernetes.client.internal.CertUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A server TLS context from a PEM certificate (chain) and private key, as the chart writes them
 * into a Secret: PKCS#1 ({@code RSA PRIVATE KEY}, what Helm's genSignedCert makes) or PKCS#8.
 * fabric8's own PEM reader does the parsing, as it does for kubeconfig client keys.
 */
public final class PemTls {
  private static final char[] IN_MEMORY = "limpet".toCharArray();

  private PemTls() {}

  public static SSLContext serverContext(Path certificate, Path key)
      throws IOException, GeneralSecurityException {
    KeyStore store;
    try (InputStream cert = Files.newInputStream(certificate);
        InputStream pem = Files.newInputStream(key)) {
      store = CertUtils.createKeyStore(cert, pem, "RSA", IN_MEMORY, null, IN_MEMORY);
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, IN_MEMORY);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }
}
