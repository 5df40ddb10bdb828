package dev.limpet.testsupport;

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
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * A throw-away certificate authority that issues test certificates, made in the JVM; also
 * self-signed certificates ({@link #selfSigned}), and every one of them as PEM in the forms
 * Kubernetes TLS Secrets carry.
 */
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

  /**
   * A self-signed leaf for {@code dnsName} (subject {@code CN=<dnsName>}, the name its only SAN),
   * valid from an hour ago for a day, with an RSA key.
   */
  public static Issued selfSigned(String dnsName) {
    return selfSigned(dnsName, Instant.now().plus(Duration.ofDays(1)), rsa());
  }

  /**
   * A self-signed leaf for {@code dnsName} with these keys, valid for the two days to {@code
   * notAfter}.
   */
  public static Issued selfSigned(String dnsName, Instant notAfter, KeyPair keys) {
    return selfSigned(
        "CN=" + dnsName,
        List.of(dnsName),
        List.of(),
        keys,
        notAfter.minus(Duration.ofDays(2)),
        notAfter);
  }

  /**
   * A self-signed certificate without the basic-constraints extension (as a hand-made one has), for
   * the distinguished name {@code subject} (e.g. {@code O=x,CN=name}), these SANs and keys; signed
   * SHA-256 with RSA or ECDSA after the key.
   */
  public static Issued selfSigned(
      String subject,
      List<String> dnsNames,
      List<String> ips,
      KeyPair keys,
      Instant notBefore,
      Instant notAfter) {
    X500Name name = new X500Name(subject);
    return new Issued(sign(name, name, keys, keys, notBefore, notAfter, null, dnsNames, ips), keys);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public String certificatePem() {
    return pem(certificate);
  }

  /** A client context that trusts this CA only. */
  public SSLContext clientContext() {
    return trusting(certificate, null);
  }

  /**
   * A context that trusts this CA only and presents {@code identity}'s certificate: a client that
   * authenticates itself, or a server that verifies its clients.
   */
  public SSLContext presenting(Issued identity) {
    return trusting(certificate, identity.keyManagers());
  }

  /** A context that trusts {@code certificate} only, presenting what {@code keys} hold (if any). */
  private static SSLContext trusting(X509Certificate certificate, KeyManager[] keys) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null);
      store.setCertificateEntry("ca", certificate);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, tmf.getTrustManagers(), null);
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

    /** A client context that trusts this certificate only (a self-signed one, say). */
    public SSLContext trustingContext() {
      return trusting(certificate, null);
    }

    /** The key as PKCS#8 ({@code PRIVATE KEY}). */
    public String keyPem() {
      return pkcs8KeyPem(keys);
    }

    /** An RSA key as PKCS#1 ({@code RSA PRIVATE KEY}), as openssl and cert-manager write it. */
    public String pkcs1KeyPem() {
      try {
        var info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
          writer.writeObject(
              new PemObject(
                  "RSA PRIVATE KEY", info.parsePrivateKey().toASN1Primitive().getEncoded()));
        }
        return out.toString();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * The key in its algorithm's own form, as openssl writes it: see {@link
     * TestPki#traditionalKeyPem(KeyPair)}.
     */
    public String traditionalKeyPem() {
      return TestPki.traditionalKeyPem(keys);
    }

    /** A server context that presents this certificate, for a test HTTPS server. */
    public SSLContext serverContext() {
      try {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(), null, null);
        return context;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Key managers that present this certificate, on a server or a client context. */
    public KeyManager[] keyManagers() {
      try {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null);
        store.setKeyEntry(
            "identity",
            keys.getPrivate(),
            new char[0],
            new java.security.cert.Certificate[] {certificate});
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, new char[0]);
        return kmf.getKeyManagers();
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

  /** A private key as PKCS#8 ({@code PRIVATE KEY}). */
  public static String pkcs8KeyPem(KeyPair keys) {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(new PemObject("PRIVATE KEY", keys.getPrivate().getEncoded()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * A private key in its algorithm's own form, as openssl writes it: PKCS#1 ({@code RSA PRIVATE
   * KEY}) for RSA, SEC1 ({@code EC PRIVATE KEY}) with its curve named inside for EC (the JDK's
   * encoding leaves the curve to the PKCS#8 wrapper).
   */
  public static String traditionalKeyPem(KeyPair keys) {
    try {
      var info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
      boolean ec =
          info.getPrivateKeyAlgorithm().getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey);
      StringWriter out = new StringWriter();
      try (PemWriter writer = new PemWriter(out)) {
        writer.writeObject(
            new PemObject(
                ec ? "EC PRIVATE KEY" : "RSA PRIVATE KEY", sec1OrPkcs1(info).getEncoded()));
      }
      return out.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
      Boolean ca,
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
      if (ca != null)
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

  /**
   * The key inside a PKCS#8 structure; an EC key with its curve named inside (as openssl writes
   * SEC1), which the JDK's encoding leaves to the outer structure.
   */
  public static ASN1Primitive sec1OrPkcs1(PrivateKeyInfo info) throws IOException {
    var inner = info.parsePrivateKey();
    if (!info.getPrivateKeyAlgorithm().getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey))
      return inner.toASN1Primitive();
    var ec = ECPrivateKey.getInstance(inner);
    return new ECPrivateKey(
            256, ec.getKey(), ec.getPublicKey(), info.getPrivateKeyAlgorithm().getParameters())
        .toASN1Primitive();
  }

  /** Any object BouncyCastle's PEM writer knows (a certificate, a key: PKCS#1 for RSA) as PEM. */
  public static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
