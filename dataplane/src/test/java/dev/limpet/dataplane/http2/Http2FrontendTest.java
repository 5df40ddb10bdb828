package dev.limpet.dataplane.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.testing.Curl;
import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.RawH2;
import dev.limpet.dataplane.testing.TlsDocument;
import dev.limpet.testsupport.TestPki;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 from real clients: the JDK's HttpClient over TLS (ALPN h2), curl with prior knowledge on a
 * plain port (h2c); HTTP/1.1 stays available on the same ports, and a virtual service that does not
 * enable HTTP/2 is never offered it. What the server sees is an HTTP/1.1 request with Host from
 * {@code :authority} and none of the {@code x-http2-*} fields Netty's conversion adds.
 */
@Timeout(60)
class Http2FrontendTest {
  private static final TestPki CA = TestPki.authority("limpet-h2-ca");
  private static final TestPki.Issued SHOP =
      CA.issue("shop", List.of("shop.example.com"), List.of("127.0.0.1"));

  @TempDir Path dir;
  private ProxyFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  private void plain(String http2) throws Exception {
    fx = new ProxyFixture(2, 171, "a");
    fx.apply(
        ("virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web%s}]\n"
                + "pools: [{name: web, servers: %s}]\n")
            .formatted(http2, fx.servers()));
  }

  private void tls(String http2) throws Exception {
    SHOP.write(dir, "shop");
    fx = new ProxyFixture(2, 171, "a");
    String document =
        new TlsDocument()
            .file("shop", dir, "shop", "shop")
            .tls("defaultCertificate: shop")
            .render(fx.servers());
    fx.apply(document.replace("    pool: web\n", "    pool: web\n" + http2));
  }

  @Test
  void h2cWithPriorKnowledgeAndHttp11ShareThePort() throws Exception {
    plain(", http2: {enabled: true}");
    Curl.Result h2 =
        Curl.run("--http2-prior-knowledge", "http://127.0.0.1:" + fx.port + "/headers?x=1");
    assertThat(h2.version()).isEqualTo("2");
    assertThat(h2.status()).isEqualTo(200);
    assertThat(h2.body()).contains("host: 127.0.0.1:" + fx.port).doesNotContain("x-http2");
    assertThat(fx.backend("a").lastRequest()).isEqualTo("GET /headers 127.0.0.1:" + fx.port);

    HttpResponse<String> http1 = fx.client().get("/");
    assertThat(http1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(http1.statusCode()).isEqualTo(200);
    assertThat(fx.dataPlane.metrics().scrape())
        .contains("limpet_http2_connections_total 1.0")
        .contains("limpet_http2_streams_total 1.0");
  }

  @Test
  void withoutHttp2APlainPortSpeaksHttp11Only() throws Exception {
    plain("");
    Curl.Result h2 = Curl.run("--http2-prior-knowledge", "http://127.0.0.1:" + fx.port + "/");
    assertThat(h2.status()).isNotEqualTo(200);
    assertThat(fx.backend("a").requests()).isZero();
  }

  @Test
  void tlsOffersH2ToTheJdkClientAndHttp11StaysAvailable() throws Exception {
    tls("    http2: {enabled: true}\n");
    HttpResponse<String> h2 =
        fx.client().https(CA.clientContext(), HttpClient.Version.HTTP_2).get("/headers");
    assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(h2.statusCode()).isEqualTo(200);
    assertThat(h2.body())
        .contains("host: 127.0.0.1:" + fx.port)
        .contains("x-forwarded-proto: https")
        .doesNotContain("x-http2");

    HttpResponse<String> http1 = fx.client().https(CA.clientContext()).get("/");
    assertThat(http1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(http1.statusCode()).isEqualTo(200);
  }

  @Test
  void withoutHttp2TlsOffersHttp11Only() throws Exception {
    tls("");
    HttpResponse<String> response =
        fx.client().https(CA.clientContext(), HttpClient.Version.HTTP_2).get("/");
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void aStreamsClientIsTheOneThePROXYHeaderOfItsConnectionNamed() throws Exception {
    fx = new ProxyFixture(2, 174, "a");
    fx.apply(
        Http2Documents.oneService(
            fx, "", ", clientAddress: {proxyProtocol: {sources: [127.0.6.0/24]}}"));
    String header = "PROXY TCP4 198.51.100.7 127.0.0.1 40000 " + fx.port + "\r\n";
    try (RawH2 h2 = new RawH2(fx.port, "127.0.6.1", header)) {
      h2.headers(1, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get("/headers"));
      h2.flush();
      assertThat(h2.answer(1, 20).headers().status().toString()).isEqualTo("200");
      RawH2.Frame body = h2.read();
      assertThat(new String(body.payload(), java.nio.charset.StandardCharsets.UTF_8))
          .contains("x-forwarded-for: 198.51.100.7\n");
    }
  }
}
