package dev.limpet.dataplane.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.dataplane.testing.ResumingTlsClient;
import dev.limpet.dataplane.testing.ResumingTlsClient.Visit;
import dev.limpet.dataplane.testing.TlsServices;
import dev.limpet.dataplane.tls.TicketKeySet;
import dev.limpet.testsupport.Relay;
import dev.limpet.testsupport.TestPki;
import io.netty.handler.ssl.OpenSsl;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two data-plane replicas behind one address, sharing their tables and their TLS ticket keys: a
 * client whose TLS connections alternate between the replicas stays on the server it got first,
 * whichever way it resumes (each replica running OpenSSL).
 */
@Timeout(120)
class ReplicatedTlsPersistenceTest {
  private static final TestPki CA = TestPki.authority("limpet-replicated-tls-ca");
  private static final TestPki.Issued LEAF =
      CA.issue("tls.example.com", List.of("tls.example.com"), List.of("127.0.0.1"));
  private static final String TABLE = "persistence/session/web";
  private static final int CONNECTIONS = 6;

  @TempDir Path dir;
  private ReplicaCluster cluster;
  private Relay front; // one address before both replicas, as their Service

  /** Each client kind, and whether its resumption on the other replica is a TLS resumption. */
  static Stream<Arguments> clients() {
    return Stream.of(
        Arguments.of("openssl TLS 1.3 ticket (PSK)", "-tls1_3", true),
        Arguments.of("openssl TLS 1.2 session ticket", "-tls1_2", true),
        // the other replica cannot resume the session (session caches are not shared), but the
        // client offers its session ID again and the replicated table knows it
        Arguments.of("openssl TLS 1.2 session ID", "-no_ticket", false),
        Arguments.of("JDK socket TLS 1.3", "TLSv1.3", false),
        Arguments.of("JDK socket TLS 1.2", "TLSv1.2", false),
        Arguments.of("JDK HttpClient", "", false));
  }

  @AfterEach
  void stop() {
    if (front != null) front.close();
    if (cluster != null) cluster.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void aClientStaysOnItsServerWhileItsConnectionsAlternateBetweenReplicas(
      String kind, String option, boolean resumesOnEitherReplica) throws Exception {
    Assumptions.assumeTrue(OpenSsl.isAvailable(), "OpenSSL (netty-tcnative) is not available");
    start();
    ResumingTlsClient client = client(kind, option);
    front.routeTo(new InetSocketAddress("127.0.0.1", cluster.port(0)));
    String server = client.visit(front.address().getPort()).backend();
    for (int i = 1; i <= CONNECTIONS; i++) {
      awaitReplicated();
      front.routeTo(new InetSocketAddress("127.0.0.1", cluster.port(i % 2)));
      Visit visit = client.visit(front.address().getPort());
      assertThat(visit.backend()).as("connection %d, on replica %d", i, i % 2).isEqualTo(server);
      if (resumesOnEitherReplica)
        assertThat(visit.resumed()).as("connection %d resumed", i).isTrue();
    }
  }

  private ResumingTlsClient client(String kind, String option) {
    if (kind.startsWith("openssl"))
      return option.equals("-no_ticket")
          ? ResumingTlsClient.openssl(dir.resolve("session"), "-tls1_2", "-no_ticket")
          : ResumingTlsClient.openssl(dir.resolve("session"), option);
    if (kind.startsWith("JDK socket"))
      return ResumingTlsClient.jdkSocket(CA.clientContext(), option);
    return ResumingTlsClient.jdkHttpClient(CA.clientContext());
  }

  private void start() throws Exception {
    cluster = new ReplicaCluster(2, 221, TlsServices.withTlsPersistence(dir, LEAF, "${servers}"));
    byte[] secret = new byte[48];
    new SecureRandom().nextBytes(secret);
    TicketKeySet keys =
        TicketKeySet.parse(
            "{\"ticketKeys\": [{\"id\": \"shared\", \"secret\": \"%s\"}]}"
                .formatted(Base64.getEncoder().encodeToString(secret)),
            "test keys");
    for (int i = 0; i < 2; i++) {
      cluster.start(i).ticketKeys(keys);
    }
    for (int i = 0; i < 2; i++)
      await().atMost(Duration.ofSeconds(20)).until(cluster.plane(i)::ready);
    front =
        new Relay(
            new InetSocketAddress("127.0.0.1", 0),
            new InetSocketAddress("127.0.0.1", cluster.port(0)));
  }

  /** Both replicas hold the same entries (they only grow in these tests). */
  private void awaitReplicated() {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              Map<String, Integer> a = cluster.plane(0).tableSizes();
              return a.getOrDefault(TABLE, 0) > 0 && a.equals(cluster.plane(1).tableSizes());
            });
  }
}
