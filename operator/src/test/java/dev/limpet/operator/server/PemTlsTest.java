package dev.limpet.operator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.limpet.testsupport.TestPki;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The webhook's TLS from PEM files, read by the contract's one PEM reader. */
@Timeout(20)
class PemTlsTest {
  @ParameterizedTest
  @ValueSource(strings = {"RSA", "EC"})
  void aClientCompletesAHandshakeWithTheContext(String algorithm, @TempDir Path dir)
      throws Exception {
    var cert = selfSigned(algorithm);
    Path[] files = write(dir, cert, algorithm);
    var context = PemTls.serverContext(files[0], files[1]);
    try (SSLServerSocket server =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      CompletableFuture<Void> accepted =
          CompletableFuture.runAsync(
              () -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                  s.startHandshake();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      try (SSLSocket client =
          (SSLSocket)
              cert.trustingContext()
                  .getSocketFactory()
                  .createSocket("127.0.0.1", server.getLocalPort())) {
        client.startHandshake();
        assertThat(client.getSession().getPeerCertificates()[0]).isEqualTo(cert.certificate());
      }
      accepted.get(10, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"RSA", "EC"})
  void aKeyOfAnotherCertificateIsRefusedByName(String algorithm, @TempDir Path dir)
      throws Exception {
    Path[] cert = write(Files.createDirectory(dir.resolve("a")), selfSigned(algorithm), algorithm);
    Path[] other = write(Files.createDirectory(dir.resolve("b")), selfSigned(algorithm), algorithm);
    assertThatThrownBy(() -> PemTls.serverContext(cert[0], other[1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the private key does not match the certificate");
    Files.writeString(other[1], "not a key");
    assertThatThrownBy(() -> PemTls.serverContext(cert[0], other[1]))
        .hasMessageContaining("no PEM private key found");
  }

  /** A throw-away certificate for 127.0.0.1 with an {@code RSA} or {@code EC} key. */
  private static TestPki.Issued selfSigned(String algorithm) {
    Instant now = Instant.now();
    return TestPki.selfSigned(
        "CN=limpet-webhook-test",
        List.of(),
        List.of("127.0.0.1"),
        algorithm.equals("EC") ? TestPki.ec() : TestPki.rsa(),
        now.minus(1, ChronoUnit.HOURS),
        now.plus(1, ChronoUnit.DAYS));
  }

  /**
   * The certificate and key files, the key as Helm's genSignedCert writes an RSA key (PKCS#1) or as
   * PKCS#8 for EC.
   */
  private static Path[] write(Path dir, TestPki.Issued cert, String algorithm) throws Exception {
    Path crt = Files.writeString(dir.resolve("tls.crt"), cert.certificatePem());
    Path key =
        Files.writeString(
            dir.resolve("tls.key"), algorithm.equals("EC") ? cert.keyPem() : cert.pkcs1KeyPem());
    return new Path[] {crt, key};
  }
}
