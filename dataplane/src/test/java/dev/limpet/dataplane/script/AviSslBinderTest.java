package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.limpet.testsupport.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code avi.ssl} over the server side of real JDK TLS handshakes on 127.0.0.1, one where the
 * client presents a certificate and one where it presents none; the certificate fields are held
 * against what {@code openssl x509} prints for the same certificate.
 */
@Timeout(30)
class AviSslBinderTest {
  private static final TestPki CA = TestPki.authority("limpet-test-ca");
  private static final TestPki.Issued SERVER =
      CA.issue("shop", List.of("shop.example.com"), List.of("127.0.0.1"));
  private static TestPki.Issued alice;
  private static SSLSession withCertificate;
  private static SSLSession withoutCertificate;

  @BeforeAll
  static void handshakes() throws Exception {
    alice =
        CA.issue(
            "alice",
            List.of("alice.example.com"),
            List.of("10.0.0.7"),
            TestPki.rsa(),
            Instant.now().minus(Duration.ofHours(2)),
            Instant.now().plus(Duration.ofDays(3)));
    withCertificate = serverSession(CA.presenting(alice));
    withoutCertificate = serverSession(CA.clientContext());
  }

  /** The server's session of one handshake that asks for (does not require) a certificate. */
  private static SSLSession serverSession(SSLContext client) throws Exception {
    SSLContext server = CA.presenting(SERVER);
    try (SSLServerSocket listener =
        (SSLServerSocket)
            server
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listener.setWantClientAuth(true);
      CompletableFuture<SSLSession> accepted =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  SSLSocket socket = (SSLSocket) listener.accept();
                  socket.setSoTimeout(10_000);
                  socket.startHandshake();
                  return socket.getSession();
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket()) {
        socket.connect(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()),
            5_000);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return accepted.get(10, TimeUnit.SECONDS);
      }
    }
  }

  private static FakeExchange tls(SSLSession session, String sni) {
    FakeExchange exchange = new FakeExchange("/");
    exchange.secure = true;
    exchange.tlsSession = session;
    exchange.serverName = sni;
    return exchange;
  }

  private static List<String> logs(String source, FakeExchange exchange) {
    return new ScriptHarness().logs(source, exchange);
  }

  @Test
  void protocolAndServerNameAreTheHandshakes() {
    assertThat(
            logs(
                "avi.vs.log(avi.ssl.protocol(), avi.ssl.server_name())",
                tls(withCertificate, "shop.example.com")))
        .containsExactly(withCertificate.getProtocol() + " shop.example.com");
    assertThat(logs("avi.vs.log(avi.ssl.server_name())", tls(withCertificate, null)))
        .containsExactly("nil");
  }

  @Test
  void cipherIsOpenSslsNameAndWithTrueItsDescription() {
    String suite = withCertificate.getCipherSuite();
    var expected = CipherSuiteNames.of(suite);
    assertThat(expected.kx()).as("a suite Limpet lists: " + suite).isNotNull();
    assertThat(
            logs(
                "avi.vs.log(avi.ssl.cipher())\navi.vs.log(avi.ssl.cipher(true))",
                tls(withCertificate, null)))
        .containsExactly(
            expected.openSslName(), expected.description(withCertificate.getProtocol()));
  }

  @Test
  void everyCipherSuiteLimpetAcceptsHasOpenSslsNameAndDescription() throws Exception {
    assumeThat(Path.of("/usr/bin/openssl")).exists();
    for (String iana : dev.limpet.contract.TlsConfig.SUPPORTED_CIPHERS) {
      var suite = CipherSuiteNames.of(iana);
      String line =
          openssl("ciphers", "-v", "-s", "-stdname", "ALL:@SECLEVEL=0")
              .lines()
              .filter(l -> l.startsWith(iana + " "))
              .findFirst()
              .orElseThrow(() -> new AssertionError("openssl does not list " + iana));
      // "<iana> - <openssl> <min version> Kx=.. Au=.. Enc=.. Mac=.."
      List<String> columns = new ArrayList<>(List.of(line.trim().split("\\s+")));
      assertThat(columns.get(2)).as(iana).isEqualTo(suite.openSslName());
      assertThat(columns.subList(4, 8))
          .as(iana)
          .containsExactly(
              "Kx=" + suite.kx(), "Au=" + suite.au(), "Enc=" + suite.enc(), "Mac=" + suite.mac());
    }
  }

  @Test
  void clientCertAloneIsThePemWithTabbedLines() {
    String pem = logs("avi.vs.log(avi.ssl.client_cert())", tls(withCertificate, null)).get(0);
    assertThat(pem)
        .startsWith("-----BEGIN CERTIFICATE-----\n\t")
        .endsWith("\n\t-----END CERTIFICATE-----\n");
    assertThat(pem.replace("\n\t", "\n")).isEqualTo(alice.certificatePem().replace("\r\n", "\n"));
    assertThat(
            logs(
                "avi.vs.log(avi.ssl.client_cert(avi.CLIENT_CERT) == avi.ssl.client_cert())",
                tls(withCertificate, null)))
        .containsExactly("true");
  }

  @Test
  void clientCertFieldsAreWhatOpensslPrints(@TempDir Path dir) throws Exception {
    assumeThat(Path.of("/usr/bin/openssl")).exists();
    Path crt = dir.resolve("alice.crt");
    Files.writeString(crt, alice.certificatePem());
    String subject =
        value(openssl("x509", "-in", crt.toString(), "-noout", "-subject", "-nameopt", "compat"));
    String issuer =
        value(openssl("x509", "-in", crt.toString(), "-noout", "-issuer", "-nameopt", "compat"));
    String serial = value(openssl("x509", "-in", crt.toString(), "-noout", "-serial"));
    String fingerprint =
        value(openssl("x509", "-in", crt.toString(), "-noout", "-fingerprint", "-sha1"))
            .replace(":", "")
            .toLowerCase();
    String notBefore = value(openssl("x509", "-in", crt.toString(), "-noout", "-startdate"));
    String notAfter = value(openssl("x509", "-in", crt.toString(), "-noout", "-enddate"));
    String text = openssl("x509", "-in", crt.toString(), "-noout", "-text");
    String san =
        text.lines()
            .dropWhile(l -> !l.contains("X509v3 Subject Alternative Name"))
            .skip(1)
            .findFirst()
            .orElseThrow()
            .trim();
    String sigalg =
        text.lines()
            .filter(l -> l.trim().startsWith("Signature Algorithm:"))
            .findFirst()
            .orElseThrow()
            .replaceFirst(".*Signature Algorithm: ", "");
    assertThat(
            logs(
                """
                local s, i, n, f, b, a, v, g, x = avi.ssl.client_cert(avi.CLIENT_CERT_SUBJECT,
                  avi.CLIENT_CERT_ISSUER, avi.CLIENT_CERT_SERIAL, avi.CLIENT_CERT_FINGERPRINT,
                  avi.CLIENT_CERT_NOTVALIDBEFORE, avi.CLIENT_CERT_NOTVALIDAFTER,
                  avi.CLIENT_CERT_VERSION, avi.CLIENT_CERT_SIGALG, avi.CLIENT_CERT_SAN_EXTENSION)
                for _, value in ipairs({s, i, n, f, b, a, v, g, x}) do avi.vs.log(value) end
                """,
                tls(withCertificate, null)))
        .containsExactly(
            subject, issuer, serial, fingerprint, notBefore, notAfter, "3", sigalg, san);
  }

  @Test
  void aFieldMayBeNamedAsAQuotedStringAsAvisOwnExamplesDo() {
    assertThat(
            logs(
                """
                avi.vs.log(avi.ssl.client_cert("avi.CLIENT_CERT_SUBJECT"))
                avi.vs.log(avi.ssl.client_cert("CLIENT_CERT_ISSUER"))
                """,
                tls(withCertificate, null)))
        .containsExactly("/CN=alice", "/CN=limpet-test-ca");
  }

  @Test
  void escapedIsTheUrlEncodedPem() {
    String escaped =
        logs("avi.vs.log(avi.ssl.client_cert(avi.CLIENT_CERT_ESCAPED))", tls(withCertificate, null))
            .get(0);
    assertThat(escaped).doesNotContain("\n", " ", "/", "+", "=");
    assertThat(URLDecoder.decode(escaped, StandardCharsets.UTF_8))
        .isEqualTo(alice.certificatePem().replace("\r\n", "\n"));
  }

  @Test
  void validityIsOneWithACertificateAndZeroWithout() {
    assertThat(logs("avi.vs.log(avi.ssl.check_client_cert_validity())", tls(withCertificate, null)))
        .containsExactly("1");
    assertThat(
            logs(
                "avi.vs.log(avi.ssl.check_client_cert_validity(), avi.ssl.client_cert(),"
                    + " avi.ssl.client_cert(avi.CLIENT_CERT_SUBJECT))",
                tls(withoutCertificate, null)))
        .containsExactly("0 nil nil");
  }

  @Test
  void onPlainHttpEveryFunctionIsNilAndValidityZero() {
    assertThat(
            logs(
                "avi.vs.log(avi.ssl.protocol(), avi.ssl.cipher(), avi.ssl.cipher(true),"
                    + " avi.ssl.server_name(), avi.ssl.client_cert(),"
                    + " avi.ssl.check_client_cert_validity())",
                new FakeExchange("/")))
        .containsExactly("nil nil nil nil nil 0");
  }

  @Test
  void anUnknownFieldIsAnErrorNamingTheArgument() {
    var h = new ScriptHarness();
    h.request("avi.ssl.client_cert(avi.CLIENT_CERT_SUBJECT, 99)");
    h.request(tls(withCertificate, null));
    assertThat(h.failure())
        .contains("bad argument #2 to 'avi.ssl.client_cert'")
        .contains("avi.CLIENT_CERT_* expected, got 99");
    var named = new ScriptHarness();
    named.request("avi.ssl.client_cert('avi.CLIENT_CERT_NOPE')");
    named.request(tls(withCertificate, null));
    assertThat(named.failure()).contains("got 'avi.CLIENT_CERT_NOPE'");
  }

  @Test
  void theFunctionsRunInRequestAndResponseButNotInResponseFailed() {
    var h = new ScriptHarness();
    h.script("s", null, null, "avi.vs.log(avi.ssl.protocol())");
    var exchange = tls(withCertificate, null);
    h.run(ScriptEvent.HTTP_RESP_FAILED, new ScriptTransaction(), exchange);
    assertThat(h.failure()).contains("avi.ssl.protocol cannot be called in HTTP_RESP_FAILED");
    var both = new ScriptHarness();
    both.script("s", "avi.vs.log(avi.ssl.protocol())", "avi.vs.log(avi.ssl.protocol())", null);
    var tx = new ScriptTransaction();
    var ok = tls(withCertificate, null);
    both.run(ScriptEvent.HTTP_REQ, tx, ok);
    both.run(ScriptEvent.HTTP_RESP, tx, ok.respond(200, both.a));
    assertThat(both.failures).isEmpty();
    assertThat(ScriptHarness.logged(ok)).hasSize(2);
  }

  private static String value(String line) {
    return line.trim().substring(line.indexOf('=') + 1);
  }

  private static String openssl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    return out;
  }
}
