package dev.limpet.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.limpet.contract.ConfigException;
import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.TlsClient;
import dev.limpet.dataplane.testing.TlsDocument;
import dev.limpet.testsupport.TestPki;
import io.netty.handler.ssl.SslProvider;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TLS termination with real clients (JDK sockets, the JDK HttpClient, openssl s_client), once with
 * OpenSSL and once with the JDK provider: SNI, protocols, ALPN, what the servers see.
 */
@Timeout(60)
class TlsTerminationTest {
  private static final TestPki CA = TestPki.authority("limpet-test-ca");
  private static final TestPki.Issued SHOP =
      CA.issue("shop", List.of("shop.example.com"), List.of());
  private static final TestPki.Issued API = CA.issueEc("api", List.of("*.api.example.com"));
  private static final TestPki.Issued FALLBACK =
      CA.issue("fallback", List.of("fallback.example.com"), List.of("127.0.0.1"));

  @TempDir Path dir;
  private ProxyFixture fx;

  private ProxyFixture start(SslProvider provider, String tlsLine, String poolLine)
      throws Exception {
    SHOP.write(dir, "shop");
    API.write(dir, "api");
    FALLBACK.write(dir, "fallback");
    fx = new ProxyFixture(2, 161, provider, "a");
    fx.apply(
        certificates()
            .tls("defaultCertificate: fallback")
            .tls(tlsLine)
            .pool(poolLine)
            .tail("persistenceProfiles: [{name: sticky, type: HttpCookie}]")
            .render(fx.servers()));
    return fx;
  }

  private TlsDocument certificates() {
    return new TlsDocument()
        .file("shop", dir, "shop", "shop")
        .file("api", dir, "api", "api")
        .file("fallback", dir, "fallback", "fallback");
  }

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void sniPicksTheCertificateAndTheDefaultAnswersTheRest(SslProvider provider) throws Exception {
    start(provider, "", "");
    assertThat(peer("shop.example.com")).isEqualTo("shop");
    assertThat(peer("v1.api.example.com")).isEqualTo("api");
    assertThat(peer("unknown.example.org")).isEqualTo("fallback");
    assertThat(peer(null)).isEqualTo("fallback");
    try (TlsClient client = new TlsClient(CA.clientContext(), fx.port, "shop.example.com")) {
      assertThat(client.applicationProtocol()).isEqualTo("http/1.1");
      assertThat(client.get("/", "shop.example.com"))
          .startsWith("HTTP/1.1 200")
          .contains("backend=a");
    }
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void tls12And13BothWorkAndAProtocolNotAllowedIsRefused(SslProvider provider) throws Exception {
    start(provider, "", "");
    for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
      try (TlsClient client = new TlsClient(CA.clientContext(), fx.port, null, protocol)) {
        assertThat(client.protocol()).isEqualTo(protocol);
        assertThat(client.get("/", "x")).startsWith("HTTP/1.1 200");
      }
    }
    fx.close();
    start(provider, "protocols: [TLSv1.3]", "");
    try (TlsClient client = new TlsClient(CA.clientContext(), fx.port, null, "TLSv1.3")) {
      assertThat(client.protocol()).isEqualTo("TLSv1.3");
    }
    assertThatThrownBy(() -> new TlsClient(CA.clientContext(), fx.port, null, "TLSv1.2").close())
        .isInstanceOf(UncheckedIOException.class)
        .hasCauseInstanceOf(SSLHandshakeException.class);
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void serversSeeHttpsAndInsertedCookiesAreSecure(SslProvider provider) throws Exception {
    start(provider, "", "persistenceProfile: sticky");
    HttpClient http =
        HttpClient.newBuilder()
            .sslContext(CA.clientContext())
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    HttpResponse<String> headers =
        http.send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + fx.port + "/headers"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(headers.statusCode()).isEqualTo(200);
    assertThat(headers.body())
        .contains("x-forwarded-proto: https")
        .contains("x-forwarded-port: " + fx.port);
    assertThat(headers.headers().firstValue("set-cookie").orElseThrow())
        .startsWith("LIMPET=")
        .contains("; Secure");
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void opensslClientSeesTheCertificateForItsName(SslProvider provider) throws Exception {
    start(provider, "", "");
    Path ca = dir.resolve("ca.pem");
    TestPki.writeAtomically(ca, CA.certificatePem());
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + fx.port,
                "-servername",
                "v2.api.example.com",
                "-CAfile",
                ca.toString(),
                "-verify_return_error",
                "-alpn",
                "http/1.1")
            .redirectErrorStream(true)
            .start();
    openssl.getOutputStream().close(); // no input: s_client ends after the handshake
    assertThat(openssl.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out)
        .containsPattern("subject=\\s*CN\\s*=\\s*api")
        .contains("Verify return code: 0 (ok)")
        .contains("ALPN protocol: http/1.1");
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void aCertificateThatCannotServeRefusesTheConfigurationAndNamesIt(SslProvider provider)
      throws Exception {
    start(provider, "", "");
    String version2 =
        new TlsDocument()
            .version("2")
            .file("shop", dir, "shop", "api")
            .file("gone", dir, "gone", "gone")
            .render(fx.servers());
    assertThatThrownBy(() -> fx.apply(version2))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).problems())
        .asInstanceOf(InstanceOfAssertFactories.LIST)
        .containsExactly(
            "virtualServices[0].tls.certificates[0]: the private key does not match the"
                + " certificate (CN=shop)",
            "virtualServices[0].tls.certificates[1]: cannot read NoSuchFileException "
                + dir.resolve("gone.crt"));
    assertThat(fx.dataPlane.current().version()).isEqualTo("0");
    assertThat(peer("shop.example.com")).isEqualTo("shop");
  }

  private String peer(String sni) {
    try (TlsClient client = new TlsClient(CA.clientContext(), fx.port, sni)) {
      return client.peerName();
    }
  }
}
