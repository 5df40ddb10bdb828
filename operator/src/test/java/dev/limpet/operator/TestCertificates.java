package dev.limpet.operator;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed test certificates as PEM, and the {@code kubernetes.io/tls} Secrets holding them. */
public final class TestCertificates {
  private TestCertificates() {}

  /** A certificate and key in PEM. */
  public record Pem(String certificate, String key) {}

  /** Valid from an hour ago for a day. */
  public static Pem selfSigned(String dnsName) {
    return selfSigned(dnsName, Instant.now().plus(Duration.ofDays(1)), rsa());
  }

  public static Pem selfSigned(String dnsName, Instant notAfter, KeyPair keys) {
    try {
      X500Name subject = new X500Name("CN=" + dnsName);
      var builder =
          new JcaX509v3CertificateBuilder(
              subject,
              BigInteger.valueOf(System.nanoTime()),
              Date.from(notAfter.minus(Duration.ofDays(2))),
              Date.from(notAfter),
              subject,
              keys.getPublic());
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
      var certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(
                      new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
      return new Pem(pem(certificate), pem(keys.getPrivate()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A Secret of type kubernetes.io/tls in the test namespace. */
  public static Secret tlsSecret(String name, String certificate, String key) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(TestResources.NS)
        .endMetadata()
        .withType("kubernetes.io/tls")
        .addToStringData("tls.crt", certificate)
        .addToStringData("tls.key", key)
        .build();
  }

  private static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
