package dev.limpet.dataplane.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.DataPlane;
import dev.limpet.dataplane.persistence.CookieKeySet;
import dev.limpet.dataplane.testing.Client;
import dev.limpet.dataplane.testing.FreePorts;
import dev.limpet.dataplane.tls.TlsProviders;
import dev.limpet.dataplane.transport.Transport.Kind;
import dev.limpet.testsupport.Backend;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Requests relayed through a data plane on each transport, with real backends: listener, upstream
 * connections and health probes all run on the transport asked for.
 */
@Timeout(60)
class TransportProxyTest {

  @ParameterizedTest
  @EnumSource(Kind.class)
  void relaysRequestsOnEachTransport(Kind kind) throws Exception {
    Throwable cause = kind.unavailabilityCause();
    Assumptions.assumeTrue(cause == null, () -> kind.setting() + " cannot run here: " + cause);
    int port = FreePorts.next();
    try (Backend a = Backend.start("a", "127.0.0.91");
        Backend b = Backend.start("b", "127.0.0.92");
        DataPlane dataPlane =
            new DataPlane(
                2,
                CookieKeySet.random(),
                null,
                TlsProviders.select("auto"),
                Transport.select(kind.setting()))) {
      dataPlane.apply(
          """
          version: "1"
          virtualServices:
            - {name: web, address: 127.0.0.1, port: %d, pool: web}
          pools:
            - name: web
              servers:
                - {name: a, ip: %s, port: %d}
                - {name: b, ip: %s, port: %d}
          """
              .formatted(port, a.ip(), a.port(), b.ip(), b.port()));
      assertThat(dataPlane.transport().name()).isEqualTo(kind.setting());
      assertThat(
              dataPlane
                  .metrics()
                  .registry()
                  .find("limpet_transport")
                  .gauge()
                  .getId()
                  .getTag("transport"))
          .isEqualTo(kind.setting());

      Client client = new Client(port);
      Set<String> seen = new HashSet<>();
      // bodies of many reads each way: the relay's explicit reads and writes, not one packet
      byte[] body = new byte[256 * 1024];
      java.util.Arrays.fill(body, (byte) 7);
      for (int i = 0; i < 6; i++) {
        HttpResponse<String> echoed =
            client.send(client.request("/echo").POST(BodyPublishers.ofByteArray(body)).build());
        assertThat(echoed.statusCode()).isEqualTo(200);
        assertThat(echoed.body()).isEqualTo(body.length + " " + 7L * body.length);
        seen.add(Client.backend(echoed));
        HttpResponse<byte[]> bytes =
            client.send(client.request("/bytes?n=1048576").build(), BodyHandlers.ofByteArray());
        assertThat(bytes.statusCode()).isEqualTo(200);
        assertThat(bytes.body()).hasSize(1048576);
        seen.add(Client.backend(bytes));
      }
      assertThat(seen).containsExactlyInAnyOrder("a", "b");
    }
  }
}
