package dev.limpet.dataplane.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.PersistenceProfileConfig;
import dev.limpet.contract.PersistenceProfileConfig.CustomHeader;
import dev.limpet.contract.PersistenceProfileConfig.Type;
import dev.limpet.contract.PoolConfig;
import dev.limpet.contract.ServerConfig;
import dev.limpet.dataplane.http.ClientRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CustomHeaderPersistenceTest {
  private final Persistence p =
      PersistenceFactory.create(
          new PersistenceProfileConfig(
              "tenant", Type.CustomHeader, null, new CustomHeader("X-Tenant")),
          new PoolConfig(
              "web",
              null,
              List.of(
                  new ServerConfig(null, "10.0.0.1", 80, 0, null, false, "blue"),
                  new ServerConfig(null, "10.0.0.2", 80, 0, null, false, "green"),
                  new ServerConfig(null, "10.0.0.3", 80, 0, null, false, "blue"),
                  new ServerConfig(null, "fd00::4", 80, 0, null, false, null)),
              null,
              "tenant",
              0,
              0),
          new TableRegistry(10, System::currentTimeMillis),
          CookieKeySet.random(),
          System::currentTimeMillis);

  /**
   * The request the tests send; {@link CustomHeaderPersistenceScannedTest} sends its fields as
   * received bytes.
   */
  ClientRequest request(String uri, String... headers) {
    return TestRequests.request(uri, headers);
  }

  @Test
  void theHeaderValueSelectsTheServer() {
    assertThat(p.pinnedServer(request("/", "X-Tenant", "green"))).isEqualTo("10.0.0.2:80");
    assertThat(p.pinnedServer(request("/", "x-tenant", "green")))
        .as("header names ignore case")
        .isEqualTo("10.0.0.2:80");
  }

  @Test
  void theFirstServerListedWinsASharedValue() {
    assertThat(p.pinnedServer(request("/", "X-Tenant", "blue"))).isEqualTo("10.0.0.1:80");
  }

  @Test
  void noHeaderOrNoMatchPinsNothing() {
    assertThat(p.pinnedServer(request("/"))).isNull();
    assertThat(p.pinnedServer(request("/", "X-Tenant", "red"))).isNull();
    assertThat(p.pinnedServer(request("/", "X-Tenant", "Green"))).as("values are exact").isNull();
    assertThat(p.pinnedServer(request("/", "X-Tenant", ""))).isNull();
  }

  @Test
  void aFieldAddedSinceArrivalCountsAfterTheReceivedOnes() {
    ClientRequest added = request("/");
    added.head().headers().add("X-Tenant", "green");
    assertThat(p.pinnedServer(added)).isEqualTo("10.0.0.2:80");
    ClientRequest both = request("/", "X-Tenant", "red");
    both.head().headers().add("X-Tenant", "green");
    assertThat(p.pinnedServer(both)).as("the first field is the received one").isNull();
    ClientRequest removed = request("/", "X-Tenant", "red", "X-Tenant", "green");
    removed.head().headers().remove("X-Tenant");
    assertThat(p.pinnedServer(removed)).isNull();
  }

  @Test
  void theFirstFieldOfSeveralIsRead() {
    assertThat(p.pinnedServer(request("/", "X-Tenant", "green", "X-Tenant", "blue")))
        .isEqualTo("10.0.0.2:80");
    assertThat(p.pinnedServer(request("/", "X-Tenant", "gray", "X-Tenant", "blue"))).isNull();
  }
}
