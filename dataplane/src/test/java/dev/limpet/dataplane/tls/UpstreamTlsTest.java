package dev.limpet.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.limpet.contract.ConfigException;
import dev.limpet.dataplane.DataPlane;
import dev.limpet.dataplane.persistence.CookieKeySet;
import dev.limpet.dataplane.testing.Client;
import dev.limpet.dataplane.testing.FreePorts;
import dev.limpet.dataplane.testing.TlsDocument;
import dev.limpet.testsupport.Backend;
import dev.limpet.testsupport.TestPki;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Re-encryption to an HTTPS server: its certificate checked against a CA bundle (the right one
 * works, a wrong one answers 502), for the IP address or the configured server name, or not checked
 * at all.
 */
@Timeout(60)
class UpstreamTlsTest {
  private static final TestPki SERVER_CA = TestPki.authority("server-ca");
  private static final TestPki OTHER_CA = TestPki.authority("other-ca");
  private static final String IP = "127.0.0.181";

  @TempDir Path dir;
  private Backend backend;
  private DataPlane dataPlane;
  private final int port = FreePorts.next();

  @AfterEach
  void stop() {
    if (dataPlane != null) dataPlane.close();
    if (backend != null) backend.close();
  }

  private void start(SslProvider provider, String upstream) throws Exception {
    backend =
        Backend.startHttps(
            "secure",
            IP,
            SERVER_CA.issue("backend", List.of("backend.internal"), List.of(IP)).serverContext());
    TestPki.writeAtomically(dir.resolve("server-ca.pem"), SERVER_CA.certificatePem());
    TestPki.writeAtomically(dir.resolve("other-ca.pem"), OTHER_CA.certificatePem());
    TestPki.Issued listener = SERVER_CA.issue("listener", List.of(), List.of("127.0.0.1"));
    listener.write(dir, "listener");
    dataPlane = new DataPlane(1, CookieKeySet.random(), null, provider);
    dataPlane.apply(
        new TlsDocument()
            .file("listener", dir, "listener", "listener")
            .tls("upstream: " + upstream.replace("${dir}", dir.toString()))
            .render("[{ip: %s, port: %d}]".formatted(IP, backend.port()))
            .replace("${port}", Integer.toString(port)));
  }

  private int status() {
    return new Client("127.0.0.1", port).https(SERVER_CA.clientContext()).get("/").statusCode();
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void theRightAuthorityIsTrustedForTheServersAddress(SslProvider provider) throws Exception {
    start(provider, "{caFile: ${dir}/server-ca.pem}");
    assertThat(status()).isEqualTo(200);
    assertThat(backend.requests()).isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void aWrongAuthorityAnswers502(SslProvider provider) throws Exception {
    start(provider, "{caFile: ${dir}/other-ca.pem}");
    assertThat(status()).isEqualTo(502);
    assertThat(backend.requests()).isZero();
    assertThat(dataPlane.metrics().scrape())
        .containsPattern("limpet_upstream_errors_total\\{kind=\"tls\",pool=\"web\"} [1-9]");
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void theServerNameIsSentAndChecked(SslProvider provider) throws Exception {
    start(
        provider,
        "{caCertificates: \"%s\", serverName: backend.internal}"
            .formatted(SERVER_CA.certificatePem().replace("\n", "\\n")));
    assertThat(status()).isEqualTo(200);
    dataPlane.close();
    backend.close();
    start(provider, "{caFile: ${dir}/server-ca.pem, serverName: wrong.internal}");
    assertThat(status()).isEqualTo(502);
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void withoutVerificationAnyCertificateIsTaken(SslProvider provider) throws Exception {
    start(provider, "{verify: false}");
    assertThat(status()).isEqualTo(200);
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void anUnreadableBundleIsAConfigurationProblem(SslProvider provider) throws Exception {
    assertThatThrownBy(() -> start(provider, "{caFile: ${dir}/nothing.pem}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("virtualServices[0].tls.upstream.caFile: ");
  }
}
