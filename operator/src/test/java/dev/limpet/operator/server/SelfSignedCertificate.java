package dev.limpet.operator.server;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away self-signed certificate for an IP address, written as PEM the way Helm's
 * genSignedCert writes it (the key as PKCS#1 {@code RSA PRIVATE KEY}), or with an EC key.
 */
record SelfSignedCertificate(Path certificate, Path key, X509Certificate x509) {

  static SelfSignedCertificate write(Path dir, String ip) throws Exception {
    return write(dir, ip, "RSA");
  }

  /** With an {@code RSA} (PKCS#1) or an {@code EC} (PKCS#8) key. */
  static SelfSignedCertificate write(Path dir, String ip, String algorithm) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    generator.initialize(algorithm.equals("EC") ? 256 : 2048);
    KeyPair pair = generator.generateKeyPair();
    X500Name subject = new X500Name("CN=limpet-webhook-test");
    Instant now = Instant.now();
    var builder =
        new JcaX509v3CertificateBuilder(
            subject,
            BigInteger.valueOf(now.toEpochMilli()),
            Date.from(now.minus(Duration.ofMinutes(1))),
            Date.from(now.plus(Duration.ofHours(1))),
            subject,
            pair.getPublic());
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(new GeneralName(GeneralName.iPAddress, ip)));
    X509Certificate x509 =
        new JcaX509CertificateConverter()
            .getCertificate(
                builder.build(
                    new JcaContentSignerBuilder(
                            algorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA")
                        .build(pair.getPrivate())));
    Files.createDirectories(dir);
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    pem(cert, x509);
    // the JDK's EC key has its curve in the PKCS#8 wrapper only, so it is written as PKCS#8
    pem(
        key,
        algorithm.equals("EC")
            ? new JcaPKCS8Generator(pair.getPrivate(), null)
            : pair.getPrivate());
    return new SelfSignedCertificate(cert, key, x509);
  }

  /** A client context that trusts this certificate only. */
  SSLContext trustingContext() throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("webhook", x509);
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  private static void pem(Path file, Object object) throws IOException {
    try (Writer out = Files.newBufferedWriter(file);
        JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(object);
    }
  }
}
