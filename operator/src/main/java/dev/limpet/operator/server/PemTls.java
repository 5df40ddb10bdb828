package dev.limpet.operator.server;

import dev.limpet.contract.PemKeyPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A server TLS context from a PEM certificate (chain) and private key, as the chart writes them
 * into a Secret: PKCS#1 ({@code RSA PRIVATE KEY}, what Helm's genSignedCert makes), PKCS#8 or SEC1.
 * The contract's {@link PemKeyPair} reads them, the one PEM reader the data plane uses too.
 */
public final class PemTls {
  private static final char[] IN_MEMORY = "limpet".toCharArray();

  private PemTls() {}

  /**
   * @throws IllegalArgumentException when the files are not a PEM certificate and its key
   */
  public static SSLContext serverContext(Path certificate, Path key)
      throws IOException, GeneralSecurityException {
    PemKeyPair pair;
    try {
      pair =
          PemKeyPair.parse(
              Files.readString(certificate, StandardCharsets.US_ASCII),
              Files.readString(key, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "TLS files " + certificate + " and " + key + ": " + e.getMessage(), e);
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("server", pair.key(), IN_MEMORY, pair.chain().toArray(Certificate[]::new));
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, IN_MEMORY);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }
}
