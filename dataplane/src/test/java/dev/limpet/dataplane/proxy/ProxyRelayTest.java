package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.testing.Client;
import dev.limpet.dataplane.testing.ProxyFixture;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ProxyRelayTest {
  private ProxyFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = new ProxyFixture(2, 31, "a", "b", "c");
    fx.apply(
        """
        version: "1"
        virtualServices:
          - {name: web, address: 127.0.0.1, port: ${port}, pool: web}
        pools:
          - {name: web, servers: %s}
        """
            .formatted(fx.servers()));
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void relaysRequestsAndSpreadsThemOverServers() {
    Client client = fx.client();
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
