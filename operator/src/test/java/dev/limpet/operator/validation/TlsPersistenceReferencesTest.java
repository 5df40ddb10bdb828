package dev.limpet.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.PersistenceProfileConfig;
import dev.limpet.operator.MapNamespaceView;
import dev.limpet.operator.TestResources;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.PersistenceProfileSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A VirtualService without TLS cannot reach a Pool with TLS persistence, and its status says so.
 */
class TlsPersistenceReferencesTest {
  private static PersistenceProfile tlsProfile(String name) {
    var profile = new PersistenceProfile();
    profile.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace(TestResources.NS).build());
    profile.setSpec(
        PersistenceProfileSpec.of(
            PersistenceProfileConfig.Type.TLS, null, new PersistenceProfileConfig.Tls(10.0)));
    return profile;
  }

  @Test
  void aPoolWithTlsPersistenceIsNotReadyForAVirtualServiceWithoutTls() {
    var view =
        new MapNamespaceView(
            List.of(
                tlsProfile("session"),
                TestResources.staticPool("pinned", "session", "10.0.0.1"),
                TestResources.staticPool("plain", null, "10.0.0.2"),
                TestResources.dataScript("choose", "avi.pool.select('pinned')", "pinned")));
    var direct = TestResources.virtualService("web", 80, "pinned");
    var scripted = TestResources.virtualService("scripted", 81, "plain");
    scripted.setSpec(TestResources.withDataScripts(scripted.getSpec(), List.of("choose")));

    String why =
        "Pool 'pinned' uses the TLS persistence profile 'session', which needs TLS on this"
            + " VirtualService";
    var compiler = new ContractScriptCompiler();
    assertThat(References.virtualService(direct, view, compiler).notReady()).containsExactly(why);
    assertThat(References.virtualService(scripted, view, compiler).notReady()).containsExactly(why);
    assertThat(
            References.virtualService(
                    TestResources.virtualService("other", 82, "plain"), view, compiler)
                .resolved())
        .isTrue();
  }
}
