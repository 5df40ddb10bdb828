package dev.limpet.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.TlsClient;
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
 * A virtual service that enables HTTP/2 and lists a cipher suite HTTP/2 must not use (RFC 9113
 * §9.2.2: here a CBC one, first in its list): a TLS 1.2 client that can only negotiate that suite
 * never gets h2, and is still served over HTTP/1.1; a client that offers both gets h2 on an allowed
 * suite.
 */
@Timeout(60)
class Http2CipherTest {
  private static final TestPki CA = TestPki.authority("limpet-h2-cipher-ca");
  private static final TestPki.Issued SHOP = CA.issue("shop", List.of("shop.example"), List.of());
  private static final String CBC = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA";
  private static final String GCM = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
  private static final TestPki.Issued EC_SHOP = CA.issueEc("shop-ec", List.of("shop.example"));
  private static final String ECDSA_CBC = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA";

  @TempDir Path dir;
  private ProxyFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  private void start(SslProvider provider) throws Exception {
    start(provider, SHOP, CBC, GCM);
  }

  /** Serves {@code certificate} with {@code first}, {@code second} and a TLS 1.3 suite. */
  private void start(SslProvider provider, TestPki.Issued certificate, String first, String second)
      throws Exception {
    certificate.write(dir, "shop");
    fx = new ProxyFixture(2, 236, provider, "a");
    fx.apply(
        """
        virtualServices:
          - name: web
            address: 127.0.0.1
            port: ${port}
            pool: web
            http2: {enabled: true}
            tls:
              certificates: [{name: shop, certificateFile: %1$s/shop.crt, keyFile: %1$s/shop.key}]
              ciphers: [%2$s, %3$s, TLS_AES_128_GCM_SHA256]
        pools: [{name: web, servers: [{ip: ${b0.ip}, port: ${b0.port}}]}]
        """
            .formatted(dir, first, second));
  }

  /** A client offering h2 and http/1.1 over {@code protocol}, with {@code suites} (all: null). */
  private TlsClient client(String protocol, String... suites) {
    return new TlsClient(
        CA.clientContext(),
        fx.port,
        "shop.example",
        parameters -> {
          parameters.setProtocols(new String[] {protocol});
          parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
          if (suites.length > 0) parameters.setCipherSuites(suites);
        });
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void aClientThatCanOnlyUseAForbiddenSuiteGetsHttp11(SslProvider provider) throws Exception {
    start(provider);
    try (TlsClient client = client("TLSv1.2", CBC)) {
      assertThat(client.cipherSuite()).isEqualTo(CBC);
      assertThat(client.applicationProtocol()).isEqualTo("http/1.1");
      assertThat(client.get("/", "shop.example")).startsWith("HTTP/1.1 200 ");
    }
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void aClientThatOffersAnAllowedSuiteGetsH2OnIt(SslProvider provider) throws Exception {
    start(provider);
    try (TlsClient client = client("TLSv1.2", CBC, GCM)) {
      assertThat(client.applicationProtocol()).isEqualTo("h2");
      assertThat(client.cipherSuite()).isEqualTo(GCM);
    }
    try (TlsClient client = client("TLSv1.3")) {
      assertThat(client.applicationProtocol()).isEqualTo("h2");
    }
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void anEcCertificatesClientWithRsaSuitesForH2AndEcdsaCbcGetsHttp11(SslProvider provider)
      throws Exception {
    // the RSA GCM suite may carry h2 but not with this key: the client's only usable suite is CBC
    start(provider, EC_SHOP, GCM, ECDSA_CBC);
    try (TlsClient client = client("TLSv1.2", GCM, ECDSA_CBC)) {
      assertThat(client.cipherSuite()).isEqualTo(ECDSA_CBC);
      assertThat(client.applicationProtocol()).isEqualTo("http/1.1");
      assertThat(client.get("/", "shop.example")).startsWith("HTTP/1.1 200 ");
    }
  }
}
