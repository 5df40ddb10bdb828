package dev.limpet.dataplane.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;

/** Reading certificates and keys in the forms Kubernetes TLS Secrets carry, and refusing others. */
class PemKeyPairTest {
  private static final Instant NOW = Instant.now();

  @Test
  void readsPkcs8Pkcs1AndSec1KeysAndChecksTheyMatch() throws Exception {
    KeyPair rsa = generate("RSA");
    String rsaCertificate = certificate(rsa, "CN=rsa", "rsa.example.com", NOW.plusSeconds(3600));
    assertThat(PemKeyPair.parse(rsaCertificate, pkcs8(rsa)).key().getAlgorithm()).isEqualTo("RSA");
    assertThat(PemKeyPair.parse(rsaCertificate, traditional(rsa, "RSA PRIVATE KEY")).key())
        .isEqualTo(rsa.getPrivate());

    KeyPair ec = generate("EC");
    String ecCertificate = certificate(ec, "CN=ec", "ec.example.com", NOW.plusSeconds(3600));
    String ecParameters =
        "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
    var sec1 = PemKeyPair.parse(ecCertificate, ecParameters + traditional(ec, "EC PRIVATE KEY"));
    assertThat(((java.security.interfaces.ECPrivateKey) sec1.key()).getS())
        .isEqualTo(((java.security.interfaces.ECPrivateKey) ec.getPrivate()).getS());
    assertThat(
            PemKeyPair.parse(ecCertificate, pkcs8(ec)).leaf().getSubjectX500Principal().getName())
        .isEqualTo("CN=ec");

    // the JDK's own encoding of the inner key leaves the curve to the PKCS#8 wrapper
    String noCurve =
        "-----BEGIN EC PRIVATE KEY-----\n"
            + java.util.Base64.getEncoder()
                .encodeToString(
                    PrivateKeyInfo.getInstance(ec.getPrivate().getEncoded())
                        .parsePrivateKey()
                        .toASN1Primitive()
                        .getEncoded())
            + "\n-----END EC PRIVATE KEY-----\n";
    assertThatThrownBy(() -> PemKeyPair.parse(ecCertificate, noCurve))
        .hasMessage("private key: the EC private key does not name its curve");
    assertThatThrownBy(() -> PemKeyPair.parse(rsaCertificate, pkcs8(ec)))
        .hasMessage("the private key does not match the certificate (CN=rsa)");
    assertThatThrownBy(() -> PemKeyPair.parse(rsaCertificate, pkcs8(generate("RSA"))))
        .hasMessage("the private key does not match the certificate (CN=rsa)");
  }

  @Test
  void namesWhatIsWrong() throws Exception {
    KeyPair rsa = generate("RSA");
    String certificate = certificate(rsa, "CN=rsa", "rsa.example.com", NOW.plusSeconds(3600));
    assertThatThrownBy(() -> PemKeyPair.parse("hello", pkcs8(rsa)))
        .hasMessage("certificate: no PEM certificate found");
    assertThatThrownBy(
            () ->
                PemKeyPair.parse(
                    "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", pkcs8(rsa)))
        .hasMessageStartingWith("certificate: malformed");
    assertThatThrownBy(() -> PemKeyPair.parse(certificate, "no key here"))
        .hasMessage("private key: no PEM private key found");
    assertThatThrownBy(
            () ->
                PemKeyPair.parse(
                    certificate, PemPrivateKeysTest.resource("rsa-pkcs8-encrypted.pem")))
        .hasMessage(
            "private key: the private key is encrypted; a key without a passphrase is needed");
    assertThatThrownBy(
            () ->
                PemKeyPair.parse(
                    certificate, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
        .hasMessageStartingWith("private key: the private key is malformed");
  }

  @Test
  void tellsItsNamesAndWhetherItIsValidNow() throws Exception {
    KeyPair rsa = generate("RSA");
    var withSan =
        PemKeyPair.parse(
            certificate(rsa, "CN=ignored", "Shop.Example.com", NOW.plusSeconds(3600)), pkcs8(rsa));
    assertThat(withSan.dnsNames()).containsExactly("shop.example.com");
    assertThat(withSan.expiryProblem(NOW)).isNull();
    var cnOnly =
        PemKeyPair.parse(
            certificate(rsa, "O=x,CN=legacy.example.com", null, NOW.minusSeconds(60)), pkcs8(rsa));
    assertThat(cnOnly.dnsNames()).containsExactly("legacy.example.com");
    assertThat(cnOnly.expiryProblem(NOW)).startsWith("the certificate expired on ");
  }

  private static KeyPair generate(String algorithm) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    if (algorithm.equals("EC")) generator.initialize(new ECGenParameterSpec("secp256r1"));
    else generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static String certificate(KeyPair keys, String subject, String dnsName, Instant notAfter)
      throws Exception {
    X500Name name = new X500Name(subject);
    var builder =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.ONE,
            Date.from(notAfter.minus(Duration.ofDays(1))),
            Date.from(notAfter),
            name,
            keys.getPublic());
    if (dnsName != null)
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
    String algorithm =
        keys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    return pem(
        new JcaX509CertificateConverter()
            .getCertificate(
                builder.build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate()))));
  }

  /** The key in its algorithm's own form (PKCS#1, SEC1), as openssl writes it. */
  private static String traditional(KeyPair keys, String type) throws IOException {
    var info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(new PemObject(type, sec1OrPkcs1(info).getEncoded()));
    }
    return out.toString();
  }

  private static String pkcs8(KeyPair keys) throws IOException {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(new PemObject("PRIVATE KEY", keys.getPrivate().getEncoded()));
    }
    return out.toString();
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }

  /**
   * The key inside a PKCS#8 structure; an EC key with its curve named inside (as openssl writes
   * SEC1), which the JDK's encoding leaves to the outer structure.
   */
  static org.bouncycastle.asn1.ASN1Primitive sec1OrPkcs1(PrivateKeyInfo info) throws IOException {
    var inner = info.parsePrivateKey();
    if (!info.getPrivateKeyAlgorithm()
        .getAlgorithm()
        .equals(org.bouncycastle.asn1.x9.X9ObjectIdentifiers.id_ecPublicKey))
      return inner.toASN1Primitive();
    var ec = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(inner);
    return new org.bouncycastle.asn1.sec.ECPrivateKey(
            256, ec.getKey(), ec.getPublicKey(), info.getPrivateKeyAlgorithm().getParameters())
        .toASN1Primitive();
  }
}
