package dev.limpet.dataplane.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.testing.Curl;
import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.RawH2;
import dev.limpet.testsupport.TestPki;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connection coalescing (contour#5240): an HTTP/2 client reuses a connection for another host it
 * believes the connection serves. A stream whose {@code :authority} belongs to a virtual service
 * the connection's certificate was not chosen for, or that does not speak HTTP/2, gets 421 and
 * reaches no server; hosts that share the connection's certificate are served.
 */
@Timeout(60)
class MisdirectedRequestTest {
  private static final TestPki CA = TestPki.authority("limpet-421-ca");
  private static final TestPki.Issued A =
      CA.issue("a", List.of("a.example", "c.example"), List.of());
  private static final TestPki.Issued B = CA.issue("b", List.of("b.example"), List.of());

  @TempDir Path dir;
  private ProxyFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  private static String service(String name, String certificate, Path dir, String http2) {
    return ("  - {name: %s, address: 127.0.0.1, port: ${port}, hostnames: [%s.example], pool: %s,"
            + " %s tls: {certificates: [{name: %s, certificateFile: %s/%s.crt, keyFile:"
            + " %s/%s.key}], defaultCertificate: %s}}\n")
        .formatted(
            name, name, name, http2, certificate, dir, certificate, dir, certificate, certificate);
  }

  /** {@code <http version> <status>} of a GET over TLS with SNI {@code sniHost}. */
  private String https(String sniHost, String authority) {
    Curl.Result r =
        Curl.run(
            "--http2",
            "-k",
            "--resolve",
            sniHost + ":" + fx.port + ":127.0.0.1",
            "-H",
            "Host: " + authority,
            "https://" + sniHost + ":" + fx.port + "/");
    return r.version() + " " + r.status();
  }

  @Test
  void aStreamForAnotherCertificatesHostGets421() throws Exception {
    A.write(dir, "a");
    B.write(dir, "b");
    fx = new ProxyFixture(2, 191, "a", "b", "c");
    String h2 = "http2: {enabled: true},";
    fx.apply(
        "virtualServices:\n"
            + service("a", "a", dir, h2)
            + service("b", "b", dir, h2)
            + service("c", "a", dir, h2)
            + fx.render(
                "pools:\n  - {name: a, servers: [{ip: ${b0.ip}, port: ${b0.port}}]}\n"
                    + "  - {name: b, servers: [{ip: ${b1.ip}, port: ${b1.port}}]}\n"
                    + "  - {name: c, servers: [{ip: ${b2.ip}, port: ${b2.port}}]}\n"));

    assertThat(https("a.example", "a.example")).isEqualTo("2 200");
    assertThat(https("a.example", "b.example")).isEqualTo("2 421");
    assertThat(fx.backend("b").requests()).isZero();
    // the same certificate names c.example: coalescing onto it is what the client may do
    assertThat(https("a.example", "c.example")).isEqualTo("2 200");
    assertThat(fx.backend("c").requests()).isEqualTo(1);
    // on a connection of its own, b.example is served
    assertThat(https("b.example", "b.example")).isEqualTo("2 200");
  }

  @Test
  void clientCertificatesAddedByAReloadApplyToStreamsOnConnectionsOpenedBefore() throws Exception {
    A.write(dir, "a");
    fx = new ProxyFixture(2, 191, "a", "b", "c");
    String pools =
        fx.render("pools:\n  - {name: a, servers: [{ip: ${b0.ip}, port: ${b0.port}}]}\n");
    String h2 = "http2: {enabled: true},";
    fx.apply("virtualServices:\n" + service("a", "a", dir, h2) + pools);
    SSLSocket socket =
        (SSLSocket) CA.clientContext().getSocketFactory().createSocket("127.0.0.1", fx.port);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setServerNames(List.of(new SNIHostName("a.example")));
    parameters.setApplicationProtocols(new String[] {"h2"});
    socket.setSSLParameters(parameters);
    socket.setSoTimeout(5_000);
    socket.startHandshake();
    assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
    byte[] get =
        RawH2.block(":method", "GET", ":scheme", "https", ":path", "/", ":authority", "a.example");
    try (RawH2 connection = new RawH2(socket, "")) {
      connection.headers(1, RawH2.END_STREAM | RawH2.END_HEADERS, get);
      connection.flush();
      assertThat(connection.answer(1, 20).headers().status()).hasToString("200");
      fx.apply(
          "virtualServices:\n"
              + service("a", "a", dir, h2)
                  .replace(
                      "defaultCertificate: a}",
                      "defaultCertificate: a, clientCertificates: {mode: REQUIRE,"
                          + " caCertificates: \""
                          + CA.certificatePem().replace("\n", "\\n")
                          + "\"}}")
              + pools);
      // the same connection: its handshake asked for no certificate
      connection.headers(3, RawH2.END_STREAM | RawH2.END_HEADERS, get);
      connection.flush();
      assertThat(connection.answer(3, 20).headers().status()).hasToString("421");
    }
    assertThat(fx.backend("a").requests()).isEqualTo(1);
  }

  @Test
  void aStreamForAServiceWithoutHttp2Gets421() throws Exception {
    fx = new ProxyFixture(2, 194, "a", "b");
    fx.apply(
        fx.render(
            """
            virtualServices:
              - {name: a, address: 127.0.0.1, port: ${port}, hostnames: [a.example], pool: a, http2: {enabled: true}}
              - {name: b, address: 127.0.0.1, port: ${port}, hostnames: [b.example], pool: b}
            pools:
              - {name: a, servers: [{ip: ${b0.ip}, port: ${b0.port}}]}
              - {name: b, servers: [{ip: ${b1.ip}, port: ${b1.port}}]}
            """));
    String url = "http://127.0.0.1:" + fx.port + "/";
    assertThat(Curl.run("--http2-prior-knowledge", "-H", "Host: a.example", url).status())
        .isEqualTo(200);
    assertThat(Curl.run("--http2-prior-knowledge", "-H", "Host: b.example", url).status())
        .isEqualTo(421);
    assertThat(fx.backend("b").requests()).isZero();
    assertThat(Curl.run("-H", "Host: b.example", url).status()).isEqualTo(200);
  }
}
