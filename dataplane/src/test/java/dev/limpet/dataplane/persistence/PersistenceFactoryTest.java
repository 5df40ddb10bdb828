package dev.limpet.dataplane.persistence;

import static java.util.stream.Collectors.toSet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.limpet.contract.PersistenceProfileConfig;
import dev.limpet.contract.PersistenceProfileConfig.CustomHeader;
import dev.limpet.contract.PersistenceProfileConfig.HttpCookie;
import dev.limpet.contract.PersistenceProfileConfig.OnServerDown;
import dev.limpet.contract.PersistenceProfileConfig.Type;
import dev.limpet.contract.PoolConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PersistenceFactoryTest {
  private final TableRegistry registry = new TableRegistry(10, System::currentTimeMillis);
  private final PoolConfig pool = new PoolConfig("web", null, null, null, "p", 0, 0);

  private static PersistenceProfileConfig profile(Type type, OnServerDown onServerDown) {
    CustomHeader header = type == Type.CustomHeader ? new CustomHeader("X-Id") : null;
    return new PersistenceProfileConfig("p", type, onServerDown, header);
  }

  private Persistence create(PersistenceProfileConfig profile) {
    return PersistenceFactory.create(
        profile, pool, registry, CookieKeySet.random(), System::currentTimeMillis);
  }

  @Test
  void eachTypeGetsItsImplementationAndOnlyTableTypesGetATable() {
    assertThat(create(profile(Type.ClientIP, null))).isInstanceOf(ClientIpPersistence.class);
    assertThat(create(profile(Type.HttpCookie, null))).isInstanceOf(HttpCookiePersistence.class);
    assertThat(create(profile(Type.AppCookie, null))).isInstanceOf(AppCookiePersistence.class);
    assertThat(create(profile(Type.CustomHeader, null)))
        .isInstanceOf(CustomHeaderPersistence.class);
    assertThat(registry.sizes()).containsOnlyKeys("persistence/p/web");

    assertThat(create(profile(Type.ClientIP, null)).tableName()).contains("persistence/p/web");
    assertThat(create(profile(Type.AppCookie, null)).tableName()).contains("persistence/p/web");
    assertThat(create(profile(Type.HttpCookie, null)).tableName()).isEmpty();
    assertThat(create(profile(Type.CustomHeader, null)).tableName()).isEmpty();
  }

  @Test
  void onServerDownIsPassedThrough() {
    for (Type type : Type.values()) {
      assertThat(create(profile(type, OnServerDown.Never)).onServerDown())
          .isEqualTo(OnServerDown.Never);
      assertThat(create(profile(type, null)).onServerDown()).isEqualTo(OnServerDown.Immediate);
    }
  }

  /** A type added to the contract needs its implementation here, with the table it announces. */
  @Test
  void everyTypeHasAnImplementationWithTheTableItAnnounces() {
    for (Type type : Type.values()) {
      TableRegistry tables = new TableRegistry(10, System::currentTimeMillis);
      PersistenceProfileConfig profile = profile(type, null);
      Persistence persistence =
          PersistenceFactory.create(
              profile, pool, tables, CookieKeySet.random(), System::currentTimeMillis);
      assertThat(persistence).as(type.name()).isNotNull();
      assertThat(tables.sizes().keySet())
          .as(type.name())
          .isEqualTo(persistence.tableName().stream().collect(toSet()));
    }
  }

  @Test
  void aDomainThatCannotGoIntoACookieFailsAtCreation() {
    var bad =
        new PersistenceProfileConfig(
            "p",
            Type.HttpCookie,
            null,
            new HttpCookie(null, null, null, null, "example.com; Secure", null, null, null));
    assertThatThrownBy(() -> create(bad)).isInstanceOf(IllegalArgumentException.class);
  }
}
