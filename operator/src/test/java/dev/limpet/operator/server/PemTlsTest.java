package dev.limpet.operator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
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
    var cert = SelfSignedCertificate.write(dir, "127.0.0.1", algorithm);
    var context = PemTls.serverContext(cert.certificate(), cert.key());
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
        assertThat(client.getSession().getPeerCertificates()[0]).isEqualTo(cert.x509());
      }
      accepted.get(10, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"RSA", "EC"})
  void aKeyOfAnotherCertificateIsRefusedByName(String algorithm, @TempDir Path dir)
      throws Exception {
    var cert = SelfSignedCertificate.write(dir.resolve("a"), "127.0.0.1", algorithm);
    var other = SelfSignedCertificate.write(dir.resolve("b"), "127.0.0.1", algorithm);
    assertThatThrownBy(() -> PemTls.serverContext(cert.certificate(), other.key()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the private key does not match the certificate");
    Files.writeString(other.key(), "not a key");
    assertThatThrownBy(() -> PemTls.serverContext(cert.certificate(), other.key()))
        .hasMessageContaining("no PEM private key found");
  }
}
