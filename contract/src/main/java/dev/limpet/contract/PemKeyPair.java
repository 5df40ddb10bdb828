package dev.limpet.contract;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * A certificate chain and its private key read from PEM and checked to belong together: what a TLS
 * listener serves. Both the operator (to report a bad Secret) and the data plane (to refuse a bad
 * file) read certificates through this one class.
 */
public record PemKeyPair(List<X509Certificate> chain, PrivateKey key) {
  private static final int SAN_DNS = 2;

  /**
   * Reads and checks a pair: the chain parses (leaf first), the key parses, and the key is the
   * leaf's. Expiry is not checked here (see {@link #expiryProblem}).
   *
   * @throws IllegalArgumentException with a message a person can act on
   */
  public static PemKeyPair parse(String certificatePem, String keyPem) {
    List<X509Certificate> chain = certificates(certificatePem);
    PrivateKey key;
    try {
      key = PemPrivateKeys.read(keyPem);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("private key: " + e.getMessage());
    }
    if (!belongTogether(key, chain.get(0).getPublicKey()))
      throw new IllegalArgumentException(
          "the private key does not match the certificate ("
              + chain.get(0).getSubjectX500Principal().getName()
              + ")");
    return new PemKeyPair(chain, key);
  }

  /** Every X.509 certificate in a PEM bundle (a CA bundle, or a chain leaf first). */
  public static List<X509Certificate> certificates(String pem) {
    if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----"))
      throw new IllegalArgumentException("certificate: no PEM certificate found");
    try {
      List<X509Certificate> chain = new ArrayList<>();
      for (var c :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))))
        chain.add((X509Certificate) c);
      if (chain.isEmpty()) throw new IllegalArgumentException("certificate: no PEM certificate");
      return List.copyOf(chain);
    } catch (CertificateException e) {
      throw new IllegalArgumentException("certificate: malformed (" + e.getMessage() + ")");
    }
  }

  /** The leaf certificate, the one presented for the names. */
  public X509Certificate leaf() {
    return chain.get(0);
  }

  /** Null while the leaf is valid at {@code now}, else why not ("expired on ..."). */
  public String expiryProblem(Instant now) {
    if (now.isAfter(leaf().getNotAfter().toInstant()))
      return "the certificate expired on " + leaf().getNotAfter().toInstant();
    if (now.isBefore(leaf().getNotBefore().toInstant()))
      return "the certificate is not valid before " + leaf().getNotBefore().toInstant();
    return null;
  }

  /**
   * The DNS names the leaf is for, lower case: its subjectAltName DNS entries, else (no such entry)
   * its subject's CN.
   */
  public List<String> dnsNames() {
    List<String> names = new ArrayList<>();
    try {
      var sans = leaf().getSubjectAlternativeNames();
      if (sans != null)
        for (List<?> san : sans)
          if (((Integer) san.get(0)) == SAN_DNS)
            names.add(((String) san.get(1)).toLowerCase(Locale.ROOT));
    } catch (CertificateParsingException e) {
      // an unreadable extension: fall back to the CN below
    }
    if (!names.isEmpty()) return names;
    try {
      for (Rdn rdn : new LdapName(leaf().getSubjectX500Principal().getName()).getRdns())
        if (rdn.getType().equalsIgnoreCase("CN"))
          names.add(rdn.getValue().toString().toLowerCase(Locale.ROOT));
    } catch (InvalidNameException e) {
      // no usable subject: the certificate answers only as a default
    }
    return names;
  }

  /** The key signs a random challenge that the certificate's public key verifies. */
  private static boolean belongTogether(PrivateKey key, PublicKey certified) {
    if (!key.getAlgorithm().equals(certified.getAlgorithm())) return false;
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm(); // Ed25519, Ed448
        };
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certified);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
