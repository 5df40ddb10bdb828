package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.persistence.PersistenceTable;
import dev.limpet.dataplane.testing.AccessLogLines;
import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.RawHttp;
import dev.limpet.testsupport.Backend;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client address a PROXY protocol header or a trusted proxy's X-Forwarded-For names, through a
 * real data plane: real clients on their own loopback addresses write the header bytes, real
 * backends answer; ClientIP persistence, access lists, {@code avi.vs.client_ip()}, the access log
 * and the X-Forwarded-For the servers get all see that address.
 */
@Timeout(60)
class ClientAddressEndToEndTest {
  /** The load balancer that sends PROXY headers connects from here. */
  private static final String BALANCER = "127.0.6.1";

  private static final String REQUEST =
      "GET /headers HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";

  private ProxyFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  private void proxyListener() throws Exception {
    fx = new ProxyFixture(2, 111, "a", "b", "c");
    fx.apply(
        """
        virtualServices:
          - name: web
            address: 127.0.0.1
            port: ${port}
            pool: web
            dataScripts: [who]
            timeouts: {headerReadMs: 400}
            networkSecurity: {deny: [198.51.100.66/32], action: Close}
            clientAddress: {proxyProtocol: {sources: [127.0.6.0/24, "::1"]}}
        pools:
          - {name: web, persistenceProfile: sticky, servers: %s}
        persistenceProfiles:
          - {name: sticky, type: ClientIP}
        dataScripts:
          - name: who
            events:
              httpRequest: avi.http.add_header("X-Seen-Client", avi.vs.client_ip())
        """
            .formatted(fx.servers()));
  }

  @Test
  void proxyV1AndV2NameTheClientForPersistenceScriptsTheAccessLogAndForwardedFor()
      throws Exception {
    proxyListener();
    PersistenceTable table = fx.dataPlane.tables().table("persistence/sticky/web");
    Set<String> firsts = new HashSet<>();
    try (AccessLogLines log = new AccessLogLines()) {
      for (int i = 1; i <= 12; i++) {
        String client = "198.51.100." + i;
        // every connection comes from the same socket address: only the header tells them apart
        String header = i % 2 == 0 ? v1(client) : v2(HAProxyCommand.PROXY, client);
        String answer = exchange(BALANCER, header + REQUEST);
        assertThat(answer).startsWith("HTTP/1.1 200 ");
        assertThat(echoed(answer, "x-seen-client")).isEqualTo(client);
        assertThat(echoed(answer, "x-forwarded-for")).isEqualTo(client);
        String first = RawHttp.backendOf(answer);
        for (int again = 0; again < 3; again++)
          assertThat(RawHttp.backendOf(exchange(BALANCER, header + REQUEST))).isEqualTo(first);
        firsts.add(first);
        assertThat(table.lookup(client)).as("the pin of " + client).isNotNull();
      }
      assertThat(log.fields())
          .anyMatch(l -> l.contains("client=198.51.100.1 "))
          .noneMatch(l -> l.contains("client=" + BALANCER));
    }
    assertThat(firsts).as("twelve clients spread over the servers").hasSize(3);
    assertThat(table.lookup(BALANCER)).as("the balancer itself is no client").isNull();
  }

  @Test
  void theAccessListDeniesByTheAddressTheHeaderNames() throws Exception {
    proxyListener();
    assertThat(exchange(BALANCER, v1("198.51.100.66") + REQUEST)).isEmpty();
    assertThat(exchange(BALANCER, v2(HAProxyCommand.PROXY, "198.51.100.66") + REQUEST)).isEmpty();
    assertThat(requests()).isZero();
    assertThat(fx.dataPlane.metrics().scrape())
        .contains("limpet_denied_clients_total{virtual_service=\"web\"} 2.0");

    assertThat(exchange(BALANCER, v1("198.51.100.67") + REQUEST)).startsWith("HTTP/1.1 200 ");
  }

  @Test
  void aLocalCommandKeepsTheSocketsPeerAndTcp6NamesAnIpv6Client() throws Exception {
    proxyListener();
    String answer = exchange(BALANCER, v2(HAProxyCommand.LOCAL, null) + REQUEST);
    assertThat(answer).startsWith("HTTP/1.1 200 ");
    assertThat(echoed(answer, "x-seen-client")).isEqualTo(BALANCER);

    for (String header :
        new String[] {
          "PROXY TCP6 2001:db8::5 ::1 40000 " + fx.port + "\r\n", v2Tcp6("2001:db8::5"),
        }) {
      String v6 = exchange(BALANCER, header + REQUEST);
      assertThat(v6).startsWith("HTTP/1.1 200 ");
      assertThat(echoed(v6, "x-seen-client")).isEqualTo("2001:db8:0:0:0:0:0:5");
    }
  }

  private String v2Tcp6(String client) {
    return encoded(
        new HAProxyMessage(
            HAProxyProtocolVersion.V2,
            HAProxyCommand.PROXY,
            HAProxyProxiedProtocol.TCP6,
            client,
            "::1",
            40000,
            fx.port));
  }

  @Test
  void aSourceOutsideTheListOrAMissingMalformedOrSlowHeaderIsClosedBeforeAnyRequest()
      throws Exception {
    proxyListener();
    // a valid header, but not from a listed source
    assertThat(exchange("127.0.7.1", v1("198.51.100.1") + REQUEST)).isEmpty();
    // no header at all: the request line is no PROXY header
    assertThat(exchange(BALANCER, REQUEST)).isEmpty();
    // a v1 header with a bad address, and a v2 signature with a bad version
    assertThat(exchange(BALANCER, "PROXY TCP4 198.51.100 127.0.0.1 5000 80\r\n" + REQUEST))
        .isEmpty();
    assertThat(exchange(BALANCER, v2(HAProxyCommand.PROXY, "198.51.100.1").replace('!', 'A')))
        .isEmpty();
    // half a header, and then nothing: closed once the header-read timeout passes
    try (RawHttp slow = new RawHttp(BALANCER, fx.port)) {
      assertThat(slow.send("PROXY TCP4 198.51.").readUntilClosed()).isEmpty();
    }
    assertThat(requests()).isZero();
    String metrics = fx.dataPlane.metrics().scrape();
    assertThat(metrics)
        .contains("limpet_refused_connections_total{reason=\"proxy_source\"} 1.0")
        .contains("limpet_refused_connections_total{reason=\"proxy_header\"} 3.0")
        .contains("limpet_refused_connections_total{reason=\"proxy_timeout\"} 1.0");
    // the listener still serves what is well-formed
    assertThat(exchange(BALANCER, v1("198.51.100.1") + REQUEST)).startsWith("HTTP/1.1 200 ");
  }

  @Test
  void aTrustedProxysForwardedForNamesTheClientAnUntrustedOnesIsReplaced() throws Exception {
    fx = new ProxyFixture(2, 115, "a");
    fx.apply(
        """
        virtualServices:
          - name: web
            address: 127.0.0.1
            port: ${port}
            pool: web
            dataScripts: [who]
            networkSecurity: {deny: [203.0.113.66/32], action: Forbidden}
            clientAddress: {forwardedFor: {trustedProxies: [127.0.8.0/24, 10.0.0.0/8]}}
        pools:
          - {name: web, servers: [{ip: ${b0.ip}, port: ${b0.port}}]}
        dataScripts:
          - name: who
            events:
              httpRequest: avi.http.add_header("X-Seen-Client", avi.vs.client_ip())
        """);
    String chain = "X-Forwarded-For: 192.0.2.99, 203.0.113.9\r\nX-Forwarded-For: 10.1.1.1\r\n";
    try (AccessLogLines log = new AccessLogLines()) {
      // from a trusted proxy: the right-most address that is no trusted proxy; the forged left
      // part is dropped from the chain the server gets
      String trusted = exchange("127.0.8.1", withHeaders(chain));
      assertThat(echoed(trusted, "x-seen-client")).isEqualTo("203.0.113.9");
      assertThat(echoed(trusted, "x-forwarded-for")).isEqualTo("203.0.113.9, 10.1.1.1, 127.0.8.1");
      assertThat(log.fields()).anyMatch(l -> l.contains("client=203.0.113.9 "));
    }
    // from anyone else the field is the client's own claim: the peer is the client
    String untrusted = exchange("127.0.9.1", withHeaders(chain));
    assertThat(echoed(untrusted, "x-seen-client")).isEqualTo("127.0.9.1");
    assertThat(echoed(untrusted, "x-forwarded-for")).isEqualTo("127.0.9.1");
    // a malformed field is ignored, not refused
    String malformed =
        exchange("127.0.8.1", withHeaders("X-Forwarded-For: 203.0.113.9, not-an-ip\r\n"));
    assertThat(malformed).startsWith("HTTP/1.1 200 ");
    assertThat(echoed(malformed, "x-seen-client")).isEqualTo("127.0.8.1");
    // ports and brackets as some proxies write them
    String ported =
        exchange(
            "127.0.8.1", withHeaders("X-Forwarded-For: [2001:db8::7]:4711, 10.2.2.2:8080\r\n"));
    assertThat(echoed(ported, "x-seen-client")).isEqualTo("2001:db8:0:0:0:0:0:7");
    // the access list denies the address the field names, even behind the trusted proxy
    assertThat(exchange("127.0.8.1", withHeaders("X-Forwarded-For: 203.0.113.66\r\n")))
        .startsWith("HTTP/1.1 403 ");
  }

  private static String withHeaders(String headers) {
    return "GET /headers HTTP/1.1\r\nHost: t\r\nConnection: close\r\n" + headers + "\r\n";
  }

  private int requests() {
    return fx.backends.stream().mapToInt(Backend::requests).sum();
  }

  private String exchange(String from, String bytes) {
    try (RawHttp raw = new RawHttp(from, fx.port)) {
      return raw.send(bytes).readUntilClosed();
    }
  }

  /** A header line the {@code /headers} backend echoed, or null. */
  private static String echoed(String answer, String name) {
    String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
    for (String line : body.split("\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith(name + ": "))
        return line.substring(name.length() + 2);
    }
    return null;
  }

  private String v1(String client) {
    return "PROXY TCP4 " + client + " 127.0.0.1 40000 " + fx.port + "\r\n";
  }

  /** A v2 header written by Netty's encoder, as ISO-8859-1 text (one char per byte). */
  private String v2(HAProxyCommand command, String client) {
    HAProxyMessage message =
        command == HAProxyCommand.LOCAL
            ? new HAProxyMessage(
                HAProxyProtocolVersion.V2,
                command,
                HAProxyProxiedProtocol.UNKNOWN,
                null,
                null,
                0,
                0)
            : new HAProxyMessage(
                HAProxyProtocolVersion.V2,
                command,
                HAProxyProxiedProtocol.TCP4,
                client,
                "127.0.0.1",
                40000,
                fx.port);
    return encoded(message);
  }

  private static String encoded(HAProxyMessage message) {
    EmbeddedChannel encoder = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
    encoder.writeOutbound(message);
    ByteBuf bytes = encoder.readOutbound();
    try {
      return bytes.toString(StandardCharsets.ISO_8859_1);
    } finally {
      bytes.release();
      encoder.finishAndReleaseAll();
    }
  }
}
