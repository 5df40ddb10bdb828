package dev.limpet.contract;

import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads the private key of a PEM file with BouncyCastle's {@link PEMParser}, in the forms
 * Kubernetes TLS Secrets carry: PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY},
 * cert-manager's and Helm's default for RSA) and SEC1 ({@code EC PRIVATE KEY}, after the {@code EC
 * PARAMETERS} openssl writes). Encrypted keys are refused: nothing could supply the passphrase. The
 * JDK's own key factories build the key (no security provider is installed).
 */
final class PemPrivateKeys {
  private static final JcaPEMKeyConverter CONVERTER = new JcaPEMKeyConverter();

  private PemPrivateKeys() {}

  /**
   * The first private key in {@code pem}.
   *
   * @throws IllegalArgumentException naming what is wrong, for a person to act on
   */
  static PrivateKey read(String pem) {
    PEMParser parser = new PEMParser(new StringReader(pem == null ? "" : pem));
    for (Object block = next(parser); block != null; block = next(parser)) {
      if (block instanceof PEMKeyPair pair) return key(pair.getPrivateKeyInfo());
      if (block instanceof PrivateKeyInfo info) return key(info);
      if (block instanceof PKCS8EncryptedPrivateKeyInfo || block instanceof PEMEncryptedKeyPair)
        throw new IllegalArgumentException(
            "the private key is encrypted; a key without a passphrase is needed");
      // EC PARAMETERS, certificates and the like: not the key
    }
    throw new IllegalArgumentException("no PEM private key found");
  }

  private static Object next(PEMParser parser) {
    try {
      return parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "the private key is malformed (" + e.getMessage() + ")", e);
    }
  }

  private static PrivateKey key(PrivateKeyInfo info) {
    if (info.getPrivateKeyAlgorithm().getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)
        && info.getPrivateKeyAlgorithm().getParameters() == null)
      throw new IllegalArgumentException("the EC private key does not name its curve");
    try {
      return CONVERTER.getPrivateKey(info);
    } catch (PEMException e) {
      throw new IllegalArgumentException(
          "the private key is malformed or of an unsupported type (" + e.getMessage() + ")", e);
    }
  }
}
