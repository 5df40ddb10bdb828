package dev.limpet.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.limpet.dataplane.runtime.TicketKeyWatcher;
import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.ResumingTlsClient;
import dev.limpet.dataplane.testing.ResumingTlsClient.Visit;
import dev.limpet.dataplane.testing.TlsClient;
import dev.limpet.dataplane.testing.TlsServices;
import dev.limpet.testsupport.TestPki;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TLS persistence on one data plane with real TLS clients: every resumption path returns to the
 * client's server, fresh clients are balanced over all servers, ticket keys rotate without losing
 * resumable clients, renegotiation is refused.
 */
@Timeout(120)
class TlsPersistenceTest {
  static final TestPki CA = TestPki.authority("limpet-tls-persistence-ca");
  static final TestPki.Issued LEAF =
      CA.issue("tls.example.com", List.of("tls.example.com"), List.of("127.0.0.1"));
  private static final int RESUMPTIONS = 6;

  @TempDir Path dir;
  private ProxyFixture fx;

  /** Every client kind and protocol whose resumption keeps persistence with OpenSSL. */
  static Stream<Named<Function<Path, ResumingTlsClient>>> resumingClients() {
    return Stream.of(
        Named.of(
            "openssl TLS 1.3 ticket (PSK)",
            d -> ResumingTlsClient.openssl(d.resolve("s13"), "-tls1_3")),
        Named.of(
            "openssl TLS 1.2 session ticket",
            d -> ResumingTlsClient.openssl(d.resolve("s12"), "-tls1_2")),
        Named.of(
            "openssl TLS 1.2 session ID",
            d -> ResumingTlsClient.openssl(d.resolve("s12id"), "-tls1_2", "-no_ticket")),
        Named.of(
            "JDK socket TLS 1.3", d -> ResumingTlsClient.jdkSocket(CA.clientContext(), "TLSv1.3")),
        Named.of(
            "JDK socket TLS 1.2", d -> ResumingTlsClient.jdkSocket(CA.clientContext(), "TLSv1.2")),
        Named.of("JDK HttpClient", d -> ResumingTlsClient.jdkHttpClient(CA.clientContext())));
  }

  private ProxyFixture start(SslProvider provider) throws Exception {
    fx = new ProxyFixture(2, 171, provider, "a", "b", "c");
    fx.apply(TlsServices.withTlsPersistence(dir, LEAF, fx.servers()));
    return fx;
  }

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  @ParameterizedTest
  @MethodSource("resumingClients")
  void aResumedSessionReturnsToItsServer(Function<Path, ResumingTlsClient> kind) throws Exception {
    assumeOpenSsl();
    start(SslProvider.OPENSSL);
    ResumingTlsClient client = kind.apply(dir);
    String server = client.visit(fx.port).backend();
    for (int i = 1; i <= RESUMPTIONS; i++) {
      Visit visit = client.visit(fx.port);
      assertThat(visit.backend()).as("connection %d", i).isEqualTo(server);
      if (client instanceof ResumingTlsClient.Openssl)
        assertThat(visit.resumed()).as("connection %d resumed", i).isTrue();
    }
  }

  @Test
  void clientsThatDoNotResumeAreBalancedOverEveryServer() throws Exception {
    assumeOpenSsl();
    start(SslProvider.OPENSSL);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      // a new SSLContext has an empty session cache: a full handshake each time
      seen.add(ResumingTlsClient.jdkSocket(CA.clientContext(), "TLSv1.3").visit(fx.port).backend());
      seen.add(
          ResumingTlsClient.openssl(dir.resolve("fresh" + i), "-tls1_2").visit(fx.port).backend());
    }
    assertThat(seen).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void anOldTicketResumesUntilItsKeyIsRemovedThenTheClientIsBalancedAnew() throws Exception {
    assumeOpenSsl();
    start(SslProvider.OPENSSL);
    String oldKey = ticketKey("2026-10");
    Path keyFile = dir.resolve("ticket-keys.json");
    TestPki.writeAtomically(keyFile, keyFile(oldKey));
    AtomicReference<List<String>> inForce = new AtomicReference<>();
    try (TicketKeyWatcher watcher =
        TicketKeyWatcher.start(
            keyFile,
            keys -> {
              fx.dataPlane.ticketKeys(keys);
              inForce.set(keys.ids());
            },
            100)) {
      ResumingTlsClient client = ResumingTlsClient.openssl(dir.resolve("session"), "-tls1_3");
      String server = client.visit(fx.port).backend();
      // rotation, first step: a new key seals new tickets, the old one still opens old tickets
      TestPki.writeAtomically(keyFile, keyFile(ticketKey("2026-11"), oldKey));
      await().atMost(Duration.ofSeconds(10)).until(() -> inForce.get().size() == 2);
      Visit resumed = client.visit(fx.port);
      assertThat(resumed.resumed()).isTrue();
      assertThat(resumed.backend()).isEqualTo(server);

      // a client still holding a ticket of the old key only
      ResumingTlsClient stale = ResumingTlsClient.openssl(dir.resolve("stale"), "-tls1_3");
      TestPki.writeAtomically(keyFile, keyFile(oldKey));
      await().atMost(Duration.ofSeconds(10)).until(() -> inForce.get().size() == 1);
      String staleServer = stale.visit(fx.port).backend();
      TestPki.writeAtomically(keyFile, keyFile(ticketKey("2026-12")));
      await().atMost(Duration.ofSeconds(10)).until(() -> inForce.get().equals(List.of("2026-12")));
      Visit full = stale.visit(fx.port);
      assertThat(full.resumed()).as("the ticket's key is gone: a full handshake").isFalse();
      // round robin over three servers: the next pick is not the pinned one
      assertThat(full.backend()).isNotEqualTo(staleServer);
    }
  }

  @ParameterizedTest
  @MethodSource(SslProviders.AVAILABLE)
  void aClientInitiatedRenegotiationFailsAndOthersAreStillServed(SslProvider provider)
      throws Exception {
    start(provider);
    if (provider == SslProvider.OPENSSL) {
      Process openssl =
          new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + fx.port, "-tls1_2")
              .redirectErrorStream(true)
              .start();
      // "R" at the start of a line asks s_client to renegotiate; stdin stays open, so only the
      // server can end the connection
      OutputStream in = openssl.getOutputStream();
      in.write("R\n".getBytes(StandardCharsets.US_ASCII));
      in.flush();
      assertThat(openssl.waitFor(20, TimeUnit.SECONDS)).as("s_client ended").isTrue();
      String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      in.close();
      assertThat(out).contains("RENEGOTIATING").contains("no renegotiation");
      assertThat(openssl.exitValue()).isNotZero();
    }
    try (SSLSocket socket = tls12Socket()) {
      assertThat(get(socket)).contains("backend=");
      socket.startHandshake(); // TLS 1.2: a renegotiation
      assertThatThrownBy(() -> get(socket)).isInstanceOf(IOException.class);
    }
    try (TlsClient other = new TlsClient(CA.clientContext(), fx.port, null)) {
      assertThat(other.get("/", "x")).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void onTheJdkProviderTls12SessionIdsKeepPersistenceAndTls13IsBalancedAsNew() throws Exception {
    start(SslProvider.JDK);
    ResumingTlsClient byId = ResumingTlsClient.openssl(dir.resolve("id"), "-tls1_2", "-no_ticket");
    String server = byId.visit(fx.port).backend();
    for (int i = 0; i < RESUMPTIONS; i++) {
      Visit visit = byId.visit(fx.port);
      assertThat(visit.resumed()).isTrue();
      assertThat(visit.backend()).isEqualTo(server);
    }
    ResumingTlsClient tls13 = ResumingTlsClient.openssl(dir.resolve("13"), "-tls1_3");
    List<Visit> visits = new ArrayList<>();
    for (int i = 0; i < 3; i++) visits.add(tls13.visit(fx.port));
    assertThat(visits.subList(1, 3)).allMatch(Visit::resumed);
    assertThat(visits.stream().map(Visit::backend).distinct())
        .as("documented limit: the JDK hides what identifies a TLS 1.3 session")
        .hasSize(3);
  }

  private SSLSocket tls12Socket() throws IOException {
    SSLContext context = CA.clientContext();
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
    socket.connect(new InetSocketAddress("127.0.0.1", fx.port), 5_000);
    socket.setSoTimeout(10_000);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setProtocols(new String[] {"TLSv1.2"});
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  /** One keep-alive GET and its whole response (a Content-Length body, as the backends send). */
  private static String get(SSLSocket socket) throws IOException {
    socket
        .getOutputStream()
        .write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (head.indexOf("\r\n\r\n") < 0) {
      int b = in.read();
      if (b < 0) throw new SSLException("closed by the server");
      head.append((char) b);
    }
    Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
    return head + new String(in.readNBytes(bodyLength), StandardCharsets.ISO_8859_1);
  }

  static String ticketKey(String id) {
    byte[] secret = new byte[48];
    new SecureRandom().nextBytes(secret);
    return "{\"id\": \"%s\", \"secret\": \"%s\"}"
        .formatted(id, Base64.getEncoder().encodeToString(secret));
  }

  static String keyFile(String... keys) {
    return "{\"ticketKeys\": [" + String.join(", ", keys) + "]}";
  }

  private static void assumeOpenSsl() {
    Assumptions.assumeTrue(OpenSsl.isAvailable(), "OpenSSL (netty-tcnative) is not available");
  }
}
