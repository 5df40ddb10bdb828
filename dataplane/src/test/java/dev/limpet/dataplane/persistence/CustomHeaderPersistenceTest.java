package dev.limpet.dataplane.persistence;

import static dev.limpet.dataplane.persistence.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.PersistenceProfileConfig;
import dev.limpet.contract.PersistenceProfileConfig.CustomHeader;
import dev.limpet.contract.PersistenceProfileConfig.Type;
import dev.limpet.contract.PoolConfig;
import dev.limpet.contract.ServerConfig;
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
}
