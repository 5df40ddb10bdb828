package dev.limpet.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.testsupport.TestPki;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A client that resumes a session from before a reload added client certificates to its virtual
 * service is not let in without one: the resumption must not skip the new policy.
 */
@Timeout(60)
class ClientCertificateResumptionTest {
  private static final TestPki CA = TestPki.authority("limpet-resume-ca");
  private static final TestPki.Issued ADMIN =
      CA.issue("admin", List.of("admin.example"), List.of());

  @TempDir Path dir;
  private ProxyFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  private String config(String extraTls) {
    return ("virtualServices:\n  - {name: admin, address: 127.0.0.1, port: ${port}, hostnames:"
            + " [admin.example], pool: admin, tls: {certificates: [{name: admin, certificateFile:"
            + " %1$s/admin.crt, keyFile: %1$s/admin.key}], defaultCertificate: admin%2$s}}\n"
            + "pools:\n  - {name: admin, servers: [{ip: ${b0.ip}, port: ${b0.port}}]}\n")
        .formatted(dir, extraTls);
  }

  /** openssl s_client's output for one GET, resuming the session in {@code session}. */
  private String visit(Path session, String protocol) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-ign_eof"));
    command.addAll(List.of("-connect", "127.0.0.1:" + fx.port, "-servername", "admin.example"));
    command.add(protocol);
    if (Files.exists(session)) command.addAll(List.of("-sess_in", session.toString()));
    command.addAll(List.of("-sess_out", session.toString()));
    Process openssl = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      openssl
          .getOutputStream()
          .write(
              "GET / HTTP/1.1\r\nHost: admin.example\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.ISO_8859_1));
      openssl.getOutputStream().close();
      String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(openssl.waitFor(20, TimeUnit.SECONDS)).isTrue();
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      openssl.destroyForcibly();
    }
  }

  static Stream<Arguments> providersAndProtocols() {
    return SslProviders.available()
        .flatMap(p -> Stream.of(Arguments.of(p, "-tls1_2"), Arguments.of(p, "-tls1_3")));
  }

  @ParameterizedTest
  @MethodSource("providersAndProtocols")
  void aSessionFromBeforeClientCertificatesDoesNotResumeWithoutOne(
      SslProvider provider, String protocol) throws Exception {
    ADMIN.write(dir, "admin");
    fx = new ProxyFixture(2, 241, provider, "admin");
    fx.apply(fx.render(config("")));
    Path session = dir.resolve("session.pem");
    assertThat(visit(session, protocol)).contains("HTTP/1.1 200 ");
    assertThat(visit(session, protocol)).contains("Reused, TLS").contains("HTTP/1.1 200 ");
    fx.apply(
        fx.render(
            config(
                ", clientCertificates: {mode: REQUIRE, caCertificates: \"%s\"}"
                    .formatted(CA.certificatePem().replace("\n", "\\n")))));
    String after = visit(session, protocol);
    assertThat(after).doesNotContain("HTTP/1.1 200 ");
    assertThat(fx.backend("admin").requests()).isEqualTo(2);
  }
}
