package dev.limpet.operator.reconciler;

import static dev.limpet.operator.RunningOperator.eventually;
import static dev.limpet.operator.TestResources.staticPool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.PersistenceProfileConfig;
import dev.limpet.contract.PersistenceProfileConfig.Type;
import dev.limpet.operator.TestResources;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.PersistenceProfileSpec;
import org.junit.jupiter.api.Test;

class SystemProfilesTest extends OperatorOnMockApi {

  @Test
  void aNamespaceWithAPoolGetsOneLabelledProfilePerTypeAllValid() {
    operator.create(staticPool("p", null, "10.0.0.1"));

    eventually()
        .untilAsserted(
            () -> {
              var profiles =
                  client
                      .resources(PersistenceProfile.class)
                      .inNamespace(TestResources.NS)
                      .withLabel("limpet.dev/system", "true")
                      .list()
                      .getItems();
              assertThat(profiles)
                  .extracting(p -> p.getMetadata().getName(), p -> p.getSpec().type())
                  .containsExactlyInAnyOrder(
                      org.assertj.core.groups.Tuple.tuple("system-client-ip", Type.ClientIP),
                      org.assertj.core.groups.Tuple.tuple("system-http-cookie", Type.HttpCookie),
                      org.assertj.core.groups.Tuple.tuple("system-app-cookie", Type.AppCookie),
                      org.assertj.core.groups.Tuple.tuple(
                          "system-custom-header", Type.CustomHeader));
              assertThat(operator.get(PersistenceProfile.class, "system-custom-header").getSpec())
                  .extracting(s -> s.customHeader().name())
                  .isEqualTo("X-Limpet-Server");
              for (var p : profiles)
                assertThat(
                        operator
                            .condition(PersistenceProfile.class, p.getMetadata().getName(), "Ready")
                            .orElseThrow()
                            .getStatus())
                    .isEqualTo("True");
            });
  }

  @Test
  void anEditIsKeptAndADeletedProfileComesBack() {
    operator.create(staticPool("p", null, "10.0.0.1"));
    eventually().until(() -> operator.get(PersistenceProfile.class, "system-client-ip") != null);

    operator.edit(
        PersistenceProfile.class,
        "system-client-ip",
        p ->
            p.setSpec(
                PersistenceProfileSpec.of(
                    Type.ClientIP, null, new PersistenceProfileConfig.ClientIp(30.0, 24, null))));
    operator.create(staticPool("q", "system-client-ip", "10.0.0.2"));
    operator.awaitReady(dev.limpet.operator.api.Pool.class, "q");
    assertThat(operator.get(PersistenceProfile.class, "system-client-ip").getSpec().clientIp())
        .isEqualTo(new PersistenceProfileConfig.ClientIp(30.0, 24, null));

    String firstUid =
        operator.get(PersistenceProfile.class, "system-app-cookie").getMetadata().getUid();
    client.resource(operator.get(PersistenceProfile.class, "system-app-cookie")).delete();

    eventually()
        .untilAsserted(
            () -> {
              var again = operator.get(PersistenceProfile.class, "system-app-cookie");
              assertThat(again).isNotNull();
              assertThat(again.getMetadata().getUid()).isNotEqualTo(firstUid);
              assertThat(again.getMetadata().getLabels())
                  .containsEntry("limpet.dev/system", "true");
            });
  }
}
