package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.testing.Client;
import dev.limpet.dataplane.testing.FreePorts;
import dev.limpet.dataplane.testing.ProxyFixture;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An HttpCookie value is bound to the pool it was issued for: two virtual services with their own
 * pools over the same servers and the same profile, and a cookie from one is ignored by the other.
 */
@Timeout(60)
class CookiePoolBindingTest {
  private ProxyFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  @Test
  void aCookieIssuedForOnePoolIsIgnoredByAnotherPoolOnTheSameServers() throws Exception {
    fx = new ProxyFixture(1, 161, "a", "b", "c");
    int apiPort = FreePorts.next();
    fx.apply(
        """
        virtualServices:
          - {name: shop, address: 127.0.0.1, port: ${port}, pool: shop}
          - {name: api, address: 127.0.0.1, port: %d, pool: api}
        pools:
          - {name: shop, persistenceProfile: sticky, servers: %s}
          - {name: api, persistenceProfile: sticky, servers: %s}
        persistenceProfiles:
          - {name: sticky, type: HttpCookie, httpCookie: {name: LB}}
        """
            .formatted(apiPort, fx.servers(), fx.servers()));
    Client shop = fx.client();
    Client api = new Client(apiPort);
    HttpResponse<String> first = shop.get("/");
    String cookie = value(first);
    String pinned = Client.backend(first);
    // honoured by the pool it was issued for
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> again = shop.get("/", "Cookie", "LB=" + cookie);
      assertThat(Client.backend(again)).isEqualTo(pinned);
      assertThat(again.headers().firstValue("set-cookie")).isEmpty();
    }
    // ignored by the other: each request is balanced afresh (round robin moves it) and gets its own
    Set<String> reached = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> other = api.get("/", "Cookie", "LB=" + cookie);
      assertThat(other.statusCode()).isEqualTo(200);
      assertThat(value(other)).as("a new cookie for pool api").isNotEmpty().isNotEqualTo(cookie);
      reached.add(Client.backend(other));
    }
    assertThat(reached).containsExactlyInAnyOrder("a", "b", "c");
  }

  private static String value(HttpResponse<?> response) {
    String header = response.headers().firstValue("set-cookie").orElse("");
    if (!header.startsWith("LB=")) return "";
    return header.substring(3, header.indexOf(';') < 0 ? header.length() : header.indexOf(';'));
  }
}
