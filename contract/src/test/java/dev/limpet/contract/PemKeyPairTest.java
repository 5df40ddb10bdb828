package dev.limpet.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.limpet.testsupport.TestPki;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
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

  private static KeyPair generate(String algorithm) {
    return algorithm.equals("EC") ? TestPki.ec() : TestPki.rsa();
  }

  private static String certificate(
      KeyPair keys, String subject, String dnsName, Instant notAfter) {
    return TestPki.selfSigned(
            subject,
            dnsName == null ? List.of() : List.of(dnsName),
            List.of(),
            keys,
            notAfter.minus(Duration.ofDays(1)),
            notAfter)
        .certificatePem();
  }

  /** The key in its algorithm's own form (PKCS#1, SEC1), as openssl writes it. */
  private static String traditional(KeyPair keys, String type) {
    String pem = TestPki.traditionalKeyPem(keys);
    assertThat(pem).startsWith("-----BEGIN " + type + "-----");
    return pem;
  }

  private static String pkcs8(KeyPair keys) {
    return TestPki.pkcs8KeyPem(keys);
  }
}
