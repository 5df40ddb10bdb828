package dev.limpet.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.limpet.contract.ConfigException;
import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.TlsClient;
import dev.limpet.testsupport.TestPki;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTTP/1.1 over TLS: the SNI name chose the certificate and its client-certificate policy, so a
 * request whose Host needs another certificate gets 421 and reaches no server. Without it, a client
 * could send the SNI name of {@code public.example} (no client certificate asked) and {@code Host:
 * admin.example} (client certificates required) and reach admin's servers unauthenticated. Hosts of
 * the same certificate are served; without SNI, the default certificate's hosts are. The
 * connection's handshake must have enforced the policy the request's service demands now.
 */
@Timeout(60)
class SniHostMismatchTest {
  private static final TestPki CA = TestPki.authority("limpet-sni-ca");
  private static final TestPki.Issued PUBLIC =
      CA.issue("public", List.of("public.example", "other.example"), List.of());
  private static final TestPki.Issued ADMIN =
      CA.issue("admin", List.of("admin.example"), List.of());
  private static final TestPki.Issued BOTH =
      CA.issue("both", List.of("public.example", "admin.example"), List.of());
  private static final TestPki.Issued OPERATOR =
      CA.issue("operator", List.of("operator.example"), List.of());

  @TempDir Path dir;
  private ProxyFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  private static String service(String name, String certificate, Path dir, String extraTls) {
    return ("  - {name: %1$s, address: 127.0.0.1, port: ${port}, hostnames: [%1$s.example],"
            + " pool: %1$s, tls: {certificates: [{name: %2$s, certificateFile: %3$s/%2$s.crt,"
            + " keyFile: %3$s/%2$s.key}], defaultCertificate: %2$s%4$s}}\n")
        .formatted(name, certificate, dir, extraTls);
  }

  private static String requireClientCertificates() {
    return ", clientCertificates: {mode: REQUIRE, caCertificates: \"%s\"}"
        .formatted(CA.certificatePem().replace("\n", "\\n"));
  }

  private void start(SslProvider provider) throws Exception {
    PUBLIC.write(dir, "public");
    ADMIN.write(dir, "admin");
    fx = new ProxyFixture(2, 231, provider, "public", "other", "admin");
    fx.apply(
        "virtualServices:\n"
            + service("public", "public", dir, "")
            + service("other", "public", dir, "")
            + service("admin", "admin", dir, requireClientCertificates())
            + fx.render(
                """
                pools:
                  - {name: public, servers: [{ip: ${b0.ip}, port: ${b0.port}}]}
                  - {name: other, servers: [{ip: ${b1.ip}, port: ${b1.port}}]}
                  - {name: admin, servers: [{ip: ${b2.ip}, port: ${b2.port}}]}
                """));
  }

  /** The status line of a GET for {@code host} on a connection with SNI {@code sni}. */
  private String get(SSLContext context, String sni, String host) {
    try (TlsClient client = new TlsClient(context, fx.port, sni)) {
      String response = client.get("/", host);
      return response.substring(0, response.indexOf("\r\n"));
    }
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void aHostOfAnotherCertificateGets421AndReachesNoServer(SslProvider provider) throws Exception {
    start(provider);
    SSLContext anonymous = CA.clientContext();
    SSLContext operator = CA.presenting(OPERATOR);

    assertThat(get(anonymous, "public.example", "admin.example"))
        .endsWith(" 421 Misdirected Request");
    assertThat(get(anonymous, "public.example", "admin.example:443"))
        .endsWith(" 421 Misdirected Request");
    try (TlsClient client = new TlsClient(anonymous, fx.port, "public.example")) {
      // absolute-form: its authority is the request's host
      assertThat(client.exchange("GET https://admin.example/ HTTP/1.1\r\n\r\n"))
          .startsWith("HTTP/1.1 421 ");
    }
    assertThat(fx.backend("admin").requests()).isZero();

    assertThat(get(operator, "admin.example", "admin.example")).isEqualTo("HTTP/1.1 200 OK");
    assertThat(fx.backend("admin").requests()).isEqualTo(1);
    // a client certificate on admin's connection does not open public's hosts through it either
    assertThat(get(operator, "admin.example", "public.example"))
        .endsWith(" 421 Misdirected Request");
    assertThat(fx.backend("public").requests()).isZero();
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void servicesSharingAnSniNameWithAnotherPolicyAreRefusedAndTheLastGoodConfigurationServes(
      SslProvider provider) throws Exception {
    BOTH.write(dir, "both");
    start(provider);
    // the first service's context (no client certificates) would answer both names in the
    // handshake, and every request of admin would get 421
    String conflicting =
        "virtualServices:\n"
            + service("public", "both", dir, "")
            + service("admin", "both", dir, requireClientCertificates())
            + fx.render(
                """
                pools:
                  - {name: public, servers: [{ip: ${b0.ip}, port: ${b0.port}}]}
                  - {name: admin, servers: [{ip: ${b2.ip}, port: ${b2.port}}]}
                """);
    assertThatThrownBy(() -> fx.apply(conflicting))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("virtualServices[1].tls.certificates[0]: SNI name admin.example")
        .hasMessageContaining("virtualServices[0].tls.certificates[0] (virtual service 'public')")
        .hasMessageContaining("other TLS settings");
    assertThat(get(CA.presenting(OPERATOR), "admin.example", "admin.example"))
        .isEqualTo("HTTP/1.1 200 OK");
    assertThat(get(CA.clientContext(), "public.example", "public.example"))
        .isEqualTo("HTTP/1.1 200 OK");
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void servicesSharingACertificateWithTheSamePolicyServeEachOtherWhateverTheirHttp2(
      SslProvider provider) throws Exception {
    BOTH.write(dir, "both");
    fx = new ProxyFixture(2, 231, provider, "public", "other", "admin");
    // one certificate, two contexts (h2 and HTTP/1.1 only): www's requests arrive on either
    fx.apply(
        "virtualServices:\n"
            + service("public", "both", dir, "")
                .replace("pool: public,", "pool: public," + " http2: {enabled: true},")
            + service("admin", "both", dir, "")
            + fx.render(
                """
                pools:
                  - {name: public, servers: [{ip: ${b0.ip}, port: ${b0.port}}]}
                  - {name: admin, servers: [{ip: ${b2.ip}, port: ${b2.port}}]}
                """));
    SSLContext anonymous = CA.clientContext();
    assertThat(get(anonymous, "admin.example", "admin.example")).isEqualTo("HTTP/1.1 200 OK");
    assertThat(get(anonymous, "public.example", "admin.example")).isEqualTo("HTTP/1.1 200 OK");
    assertThat(get(anonymous, "admin.example", "public.example")).isEqualTo("HTTP/1.1 200 OK");
    assertThat(fx.backend("admin").requests()).isEqualTo(2);
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void clientCertificatesAddedByAReloadApplyToConnectionsOpenedBefore(SslProvider provider)
      throws Exception {
    PUBLIC.write(dir, "public");
    ADMIN.write(dir, "admin");
    fx = new ProxyFixture(2, 231, provider, "public", "other", "admin");
    String pools =
        fx.render(
            """
            pools:
              - {name: admin, servers: [{ip: ${b2.ip}, port: ${b2.port}}]}
            """);
    fx.apply("virtualServices:\n" + service("admin", "admin", dir, "") + pools);
    try (TlsClient client = new TlsClient(CA.clientContext(), fx.port, "admin.example")) {
      assertThat(client.get("/", "admin.example")).startsWith("HTTP/1.1 200 ");
      fx.apply(
          "virtualServices:\n"
              + service("admin", "admin", dir, requireClientCertificates())
              + pools);
      // the same keep-alive connection: its handshake asked for no certificate
      assertThat(client.get("/", "admin.example")).startsWith("HTTP/1.1 421 ");
    }
    assertThat(fx.backend("admin").requests()).isEqualTo(1);
    assertThat(get(CA.presenting(OPERATOR), "admin.example", "admin.example"))
        .isEqualTo("HTTP/1.1 200 OK");
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void theHostsOfTheSameCertificateAreServed(SslProvider provider) throws Exception {
    start(provider);
    SSLContext anonymous = CA.clientContext();
    assertThat(get(anonymous, "public.example", "public.example")).isEqualTo("HTTP/1.1 200 OK");
    assertThat(get(anonymous, "public.example", "OTHER.example:8443")).isEqualTo("HTTP/1.1 200 OK");
    assertThat(fx.backend("other").requests()).isEqualTo(1);
    // a name no certificate answers: the handshake served the default certificate, which serves
    // the connection's own hosts
    assertThat(get(anonymous, "unknown.example", "public.example")).isEqualTo("HTTP/1.1 200 OK");
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void withoutSniTheDefaultCertificatesHostsAreServedAndOthersAreNot(SslProvider provider)
      throws Exception {
    start(provider);
    SSLContext anonymous = CA.clientContext();
    assertThat(get(anonymous, null, "public.example")).isEqualTo("HTTP/1.1 200 OK");
    assertThat(get(anonymous, null, "other.example")).isEqualTo("HTTP/1.1 200 OK");
    assertThat(get(anonymous, null, "admin.example")).endsWith(" 421 Misdirected Request");
    assertThat(get(CA.presenting(OPERATOR), null, "admin.example"))
        .endsWith(" 421 Misdirected Request");
    assertThat(fx.backend("admin").requests()).isZero();
  }
}
