package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.DataPlane;
import dev.limpet.dataplane.persistence.CookieKeySet;
import dev.limpet.dataplane.testing.Backend;
import dev.limpet.dataplane.testing.Client;
import dev.limpet.dataplane.testing.FreePorts;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ProxyRelayTest {
  private Backend a, b, c;
  private DataPlane dataPlane;
  private int port;

  @BeforeEach
  void start() throws Exception {
    a = Backend.start("a", "127.0.0.31");
    b = Backend.start("b", "127.0.0.32");
    c = Backend.start("c", "127.0.0.33");
    port = FreePorts.next();
    dataPlane = new DataPlane(2, CookieKeySet.random());
    dataPlane.apply(
        """
        version: "1"
        virtualServices:
          - name: web
            address: 127.0.0.1
            port: %d
            pool: web
        pools:
          - name: web
            servers:
              - {ip: %s, port: %d}
              - {ip: %s, port: %d}
              - {ip: %s, port: %d}
        """
            .formatted(port, a.ip(), a.port(), b.ip(), b.port(), c.ip(), c.port()));
  }

  @AfterEach
  void stop() {
    dataPlane.close();
    a.close();
    b.close();
    c.close();
  }

  @Test
  void relaysRequestsAndSpreadsThemOverServers() {
    Client client = new Client(port);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      HttpResponse<String> r = client.get("/");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("backend=" + Client.backend(r));
      seen.add(Client.backend(r));
    }
    assertThat(seen).containsExactlyInAnyOrder("a", "b", "c");
  }
}
