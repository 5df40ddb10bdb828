package dev.limpet.dataplane.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** A throw-away certificate authority that issues test certificates, made in the JVM. */
public final class TestPki {
  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());
  private final KeyPair keys;
  private final X509Certificate certificate;

  private TestPki(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  /** A new self-signed CA. */
  public static TestPki authority(String name) {
    KeyPair keys = rsa();
    X500Name subject = new X500Name("CN=" + name);
    return new TestPki(
        keys,
        sign(
            subject,
            subject,
            keys,
            keys,
            Instant.now().minus(Duration.ofHours(1)),
            Instant.now().plus(Duration.ofDays(1)),
            true,
            List.of(),
            List.of()));
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public String certificatePem() {
    return pem(certificate);
  }

  /** A client context that trusts this CA only. */
  public SSLContext clientContext() {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null);
      store.setCertificateEntry("ca", certificate);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An RSA leaf for these DNS names and IP addresses, valid from an hour ago for a day. */
  public Issued issue(String commonName, List<String> dnsNames, List<String> ips) {
    return issue(
        commonName,
        dnsNames,
        ips,
        rsa(),
        Instant.now().minus(Duration.ofHours(1)),
        Instant.now().plus(Duration.ofDays(1)));
  }

  /** An EC (P-256) leaf. */
  public Issued issueEc(String commonName, List<String> dnsNames) {
    return issue(
        commonName,
        dnsNames,
        List.of(),
        ec(),
        Instant.now().minus(Duration.ofHours(1)),
        Instant.now().plus(Duration.ofDays(1)));
  }

  public Issued issue(
      String commonName,
      List<String> dnsNames,
      List<String> ips,
      KeyPair leafKeys,
      Instant notBefore,
      Instant notAfter) {
    X509Certificate leaf =
        sign(
            new X500Name(certificate.getSubjectX500Principal().getName()),
            new X500Name("CN=" + commonName),
            keys,
            leafKeys,
            notBefore,
            notAfter,
            false,
            dnsNames,
            ips);
    return new Issued(leaf, leafKeys);
  }

  /** A certificate and its key. */
  public record Issued(X509Certificate certificate, KeyPair keys) {
    public String certificatePem() {
      return pem(certificate);
    }

    /** The key as PKCS#8 ({@code PRIVATE KEY}). */
    public String keyPem() {
      return pem(keys.getPrivate());
    }

    /** The key in its algorithm's own form: PKCS#1 for RSA, SEC1 for EC, as openssl writes it. */
    public String traditionalKeyPem() {
      try {
        var info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
        String type = keys.getPrivate().getAlgorithm().equals("RSA") ? "RSA" : "EC";
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
          writer.writeObject(
              new PemObject(
                  type + " PRIVATE KEY", info.parsePrivateKey().toASN1Primitive().getEncoded()));
        }
        return out.toString();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** A server context that presents this certificate, for a test HTTPS server. */
    public SSLContext serverContext() {
      try {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null);
        store.setKeyEntry(
            "server",
            keys.getPrivate(),
            new char[0],
            new java.security.cert.Certificate[] {certificate});
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Writes {@code <base>.crt} and {@code <base>.key} into {@code dir}; returns the two paths. */
    public Path[] write(Path dir, String base) {
      Path crt = dir.resolve(base + ".crt");
      Path key = dir.resolve(base + ".key");
      writeAtomically(crt, certificatePem());
      writeAtomically(key, keyPem());
      return new Path[] {crt, key};
    }
  }

  /** Replaces a file's content in one step, as Kubernetes swaps a mounted Secret. */
  public static void writeAtomically(Path file, String content) {
    try {
      Path tmp = Files.createTempFile(file.getParent(), ".swap", ".tmp");
      Files.writeString(tmp, content);
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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

  public static KeyPair ec() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(
      X500Name issuer,
      X500Name subject,
      KeyPair issuerKeys,
      KeyPair subjectKeys,
      Instant notBefore,
      Instant notAfter,
      boolean ca,
      List<String> dnsNames,
      List<String> ips) {
    try {
      var builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              BigInteger.valueOf(SERIALS.incrementAndGet()),
              Date.from(notBefore),
              Date.from(notAfter),
              subject,
              subjectKeys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      List<GeneralName> names = new ArrayList<>();
      dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
      ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
      if (!names.isEmpty())
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(names.toArray(GeneralName[]::new)));
      String algorithm =
          issuerKeys.getPrivate().getAlgorithm().equals("RSA")
              ? "SHA256withRSA"
              : "SHA256withECDSA";
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
