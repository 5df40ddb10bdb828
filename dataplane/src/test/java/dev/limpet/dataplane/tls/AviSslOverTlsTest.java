package dev.limpet.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.TlsClient;
import dev.limpet.testsupport.TestPki;
import io.netty.handler.ssl.SslProvider;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code avi.ssl} through a real data plane: a JDK TLS client's handshake (protocol, cipher suite,
 * SNI) is what the script reads, with OpenSSL and with the JDK provider; on a plain-HTTP virtual
 * service the same script reads nil.
 */
@Timeout(60)
class AviSslOverTlsTest {
  private static final TestPki CA = TestPki.authority("limpet-test-ca");
  private static final TestPki.Issued SHOP =
      CA.issue("shop", List.of("shop.example.com"), List.of("127.0.0.1"));

  /** Answers with what avi.ssl reads, the values separated by '|'. */
  private static final String SCRIPT =
      """
      dataScripts:
        - name: tls-info
          events:
            httpRequest: |
              local values = {avi.ssl.protocol(), avi.ssl.cipher(), avi.ssl.cipher(true),
                avi.ssl.server_name(), avi.ssl.client_cert(), avi.ssl.check_client_cert_validity()}
              local out = {}
              for i = 1, 6 do out[i] = tostring(values[i]) end
              avi.http.response(200, {}, table.concat(out, "|"))
      """;

  @TempDir Path dir;
  private ProxyFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  private void start(SslProvider provider, String cipher) throws Exception {
    start(provider, cipher, "");
  }

  /** With {@code extraTls}, a line of the tls block (e.g. clientCertificates). */
  private void start(SslProvider provider, String cipher, String extraTls) throws Exception {
    SHOP.write(dir, "shop");
    fx = new ProxyFixture(2, 201, provider, "a");
    fx.apply(
        """
        virtualServices:
          - name: web
            address: 127.0.0.1
            port: ${port}
            pool: web
            dataScripts: [tls-info]
            tls:
              certificates: [{name: shop, certificateFile: %s/shop.crt, keyFile: %s/shop.key}]
              ciphers: [TLS_AES_256_GCM_SHA384, %s]
              %s
        pools: [{name: web, servers: [{ip: ${b0.ip}, port: ${b0.port}}]}]
        """
                .formatted(dir, dir, cipher, extraTls)
            + SCRIPT);
  }

  private static List<String> body(String response) {
    return List.of(response.substring(response.indexOf("\r\n\r\n") + 4).split("\\|"));
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void tls12ScriptReadsProtocolOpenSslCipherAndSni(SslProvider provider) throws Exception {
    start(provider, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    try (TlsClient client =
        new TlsClient(CA.clientContext(), fx.port, "shop.example.com", "TLSv1.2")) {
      assertThat(body(client.get("/", "shop.example.com")))
          .containsExactly(
              "TLSv1.2",
              "ECDHE-RSA-AES128-GCM-SHA256",
              "ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 Kx=ECDH Au=RSA Enc=AESGCM(128) Mac=AEAD",
              "shop.example.com",
              "nil",
              "0");
    }
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void tls13WithoutSniReadsNilServerName(SslProvider provider) throws Exception {
    start(provider, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    try (TlsClient client = new TlsClient(CA.clientContext(), fx.port, null, "TLSv1.3")) {
      assertThat(body(client.get("/", "shop.example.com")))
          .containsExactly(
              "TLSv1.3",
              "TLS_AES_256_GCM_SHA384",
              "TLS_AES_256_GCM_SHA384 TLSv1.3 Kx=any Au=any Enc=AESGCM(256) Mac=AEAD",
              "nil",
              "nil",
              "0");
    }
  }

  private static String clientCertificates(String mode) {
    return "clientCertificates: {mode: %s, caCertificates: %s}"
        .formatted(mode, "\"" + CA.certificatePem().replace("\n", "\\n") + "\"");
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void aListenerThatRequestsClientCertificatesLetsTheScriptReadThem(SslProvider provider)
      throws Exception {
    start(provider, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", clientCertificates("REQUEST"));
    TestPki.Issued alice = CA.issue("alice", List.of("alice.example.com"), List.of());
    for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
      try (TlsClient client =
          new TlsClient(CA.presenting(alice), fx.port, "shop.example.com", protocol)) {
        List<String> lines = body(client.get("/", "shop.example.com"));
        assertThat(lines.get(0)).isEqualTo(protocol);
        assertThat(lines.get(4).replace("\n\t", "\n").strip())
            .as(protocol)
            .isEqualTo(alice.certificatePem().replace("\r\n", "\n").strip());
        assertThat(lines.get(5)).isEqualTo("1");
      }
    }
    // requested, not required: a client without one gets through, and the script reads nil
    try (TlsClient client = new TlsClient(CA.clientContext(), fx.port, "shop.example.com")) {
      List<String> lines = body(client.get("/", "shop.example.com"));
      assertThat(lines.subList(3, 6)).containsExactly("shop.example.com", "nil", "0");
    }
    // the listener names the authorities it trusts: a JDK client holding only a certificate of
    // another authority presents none, and the script reads nil
    TestPki.Issued stranger =
        TestPki.authority("stranger-ca").issue("mallory", List.of("m.example.com"), List.of());
    try (TlsClient client =
        new TlsClient(CA.presenting(stranger), fx.port, "shop.example.com", "TLSv1.2")) {
      assertThat(body(client.get("/", "shop.example.com")).subList(4, 6))
          .containsExactly("nil", "0");
    }
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void aListenerThatRequiresThemRefusesAClientWithout(SslProvider provider) throws Exception {
    start(provider, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", clientCertificates("REQUIRE"));
    assertThatThrownBy(
            () -> {
              try (TlsClient client =
                  new TlsClient(CA.clientContext(), fx.port, "shop.example.com", "TLSv1.2")) {
                client.get("/", "shop.example.com");
              }
            })
        .isInstanceOf(UncheckedIOException.class);
    TestPki.Issued alice = CA.issue("alice", List.of("alice.example.com"), List.of());
    try (TlsClient client = new TlsClient(CA.presenting(alice), fx.port, "shop.example.com")) {
      assertThat(body(client.get("/", "shop.example.com")).get(5)).isEqualTo("1");
    }
  }

  @Test
  void onPlainHttpTheScriptReadsNil() throws Exception {
    fx = new ProxyFixture(1, 205, "a");
    fx.apply(
        """
        virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web, dataScripts: [tls-info]}]
        pools: [{name: web, servers: [{ip: ${b0.ip}, port: ${b0.port}}]}]
        """
            + SCRIPT);
    HttpResponse<String> response = fx.client().get("/");
    assertThat(response.body().split("\\|"))
        .containsExactly("nil", "nil", "nil", "nil", "nil", "0");
  }
}
