package dev.limpet.contract;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * One certificate (PEM chain and private key) of a TLS virtual service, from one of two places:
 * files ({@code certificateFile}, {@code keyFile}; re-read when they change), or the data plane's
 * TLS Secret ({@code secretKey}: its keys {@code <secretKey>.crt} and {@code <secretKey>.key}),
 * where {@code sha256} names the exact content this configuration was rendered with.
 *
 * @param name unique within the virtual service
 * @param hostnames the SNI names it answers (default: the DNS names of the certificate)
 */
public record TlsCertificateConfig(
    String name,
    String certificateFile,
    String keyFile,
    String secretKey,
    String sha256,
    List<String> hostnames) {

  public TlsCertificateConfig {
    hostnames = Defaults.list(hostnames).stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
  }

  /** True when the PEM comes from the data plane's TLS Secret rather than from files. */
  public boolean fromSecret() {
    return secretKey != null;
  }

  /** The Secret key holding the certificate chain. */
  public static String certificateKey(String secretKey) {
    return secretKey + ".crt";
  }

  /** The Secret key holding the private key. */
  public static String privateKeyKey(String secretKey) {
    return secretKey + ".key";
  }

  /**
   * What {@code sha256} holds: SHA-256 over the certificate PEM, then the key PEM, as lower-case
   * hex.
   */
  public static String digest(String certificatePem, String keyPem) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(certificatePem.getBytes(StandardCharsets.UTF_8));
      sha.update(keyPem.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
