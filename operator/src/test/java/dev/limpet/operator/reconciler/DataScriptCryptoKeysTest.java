package dev.limpet.operator.reconciler;

import static dev.limpet.operator.RunningOperator.eventually;
import static dev.limpet.operator.TestResources.NS;
import static dev.limpet.operator.TestResources.dataScript;
import static dev.limpet.operator.TestResources.scriptedVirtualService;
import static dev.limpet.operator.TestResources.staticPool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.ConfigLoader;
import dev.limpet.contract.DataPlaneConfig;
import dev.limpet.contract.DataScriptConfig;
import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.DataScriptSpec;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.index.GroupSecrets;
import dev.limpet.operator.validation.CryptoKeyResolution;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DataScript crypto keys against the mock API server: the bytes of an Opaque Secret's key go into
 * the group's Secret (base64) and, by digest, into the configuration, never into the ConfigMap; a
 * missing Secret or key shows in the DataScript's ResolvedRefs naming it and keeps a new service
 * out, and a Secret deleted later leaves the last good copy in use.
 */
class DataScriptCryptoKeysTest extends OperatorOnMockApi {
  private static final byte[] KEY =
      HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  private static final String SCRIPT =
      "avi.http.add_header('X-Sealed', avi.utils.base64_encode("
          + "avi.crypto.encrypt('alice', 'session')))";

  @BeforeEach
  void start() {
    operator.create(staticPool("p", null, "10.0.0.1"));
  }

  private static DataScript sealing(String secret, String key) {
    DataScript script = dataScript("seal", SCRIPT);
    var s = script.getSpec();
    script.setSpec(
        new DataScriptSpec(
            s.events(),
            s.pools(),
            null,
            null,
            null,
            List.of(
                new DataScriptSpec.CryptoKey(
                    "session", new DataScriptSpec.SecretKeyRef(secret, key)))));
    return script;
  }

  private static Secret opaque(String name, String key, byte[] value) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .addToLabels(CryptoKeyResolution.LABEL, "true")
        .endMetadata()
        .withType("Opaque")
        .addToData(key, Base64.getEncoder().encodeToString(value))
        .build();
  }

  private Condition condition(
      Class<? extends io.fabric8.kubernetes.client.CustomResource<?, ?>> type,
      String name,
      String condition) {
    return operator.condition(type, name, condition).orElseThrow();
  }

  private Map<String, String> groupSecret() {
    Secret secret = client.secrets().inNamespace(NS).withName(GroupSecrets.name("default")).get();
    return secret == null ? Map.of() : GroupSecrets.decoded(secret);
  }

  private Optional<DataScriptConfig> renderedScript() throws Exception {
    DataPlaneConfig config = ConfigLoader.parse(operator.groupConfig("default").orElseThrow());
    return config.dataScripts().stream().filter(s -> s.name().equals("seal")).findFirst();
  }

  @Test
  void aMissingSecretIsReportedThenTheKeyIsPublishedAndADeletionKeepsTheLastGoodCopy()
      throws Exception {
    operator.create(sealing("session-keys", "aes"));
    operator.create(scriptedVirtualService("web", 80, "p", "seal"));

    eventually()
        .untilAsserted(
            () -> {
              Condition refs = condition(DataScript.class, "seal", "ResolvedRefs");
              assertThat(refs.getStatus()).isEqualTo("False");
              assertThat(refs.getReason()).isEqualTo("RefNotFound");
              assertThat(refs.getMessage())
                  .isEqualTo(
                      "Not found: Secret 'session-keys' (labelled limpet.dev/datascript-key=true, key 'aes').");
              Condition vsRefs = condition(VirtualService.class, "web", "ResolvedRefs");
              assertThat(vsRefs.getStatus()).isEqualTo("False");
              assertThat(vsRefs.getMessage())
                  .contains(
                      "DataScript 'seal' has crypto keys without bytes: Secret 'session-keys'");
            });
    assertThat(ConfigLoader.parse(operator.groupConfig("default").orElseThrow()).virtualServices())
        .isEmpty();

    operator.create(opaque("session-keys", "aes", KEY));

    eventually()
        .untilAsserted(
            () -> {
              assertThat(condition(DataScript.class, "seal", "ResolvedRefs").getStatus())
                  .isEqualTo("True");
              assertThat(condition(VirtualService.class, "web", "Ready").getStatus())
                  .isEqualTo("True");
            });
    assertThat(groupSecret())
        .containsEntry("seal.session.cryptokey", Base64.getEncoder().encodeToString(KEY));
    DataScriptConfig rendered = renderedScript().orElseThrow();
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(KEY));
    assertThat(rendered.cryptoKeys())
        .containsExactly(
            new DataScriptConfig.CryptoKey("session", "seal.session.cryptokey", sha256));
    assertThat(operator.groupConfig("default").orElseThrow())
        .doesNotContain(Base64.getEncoder().encodeToString(KEY))
        .doesNotContain(HexFormat.of().formatHex(KEY));

    client.secrets().inNamespace(NS).withName("session-keys").delete();

    eventually()
        .untilAsserted(
            () ->
                assertThat(condition(DataScript.class, "seal", "ResolvedRefs").getMessage())
                    .isEqualTo(
                        "Not found: Secret 'session-keys' (labelled limpet.dev/datascript-key=true, key 'aes')."));
    // the services that run it keep the last good copy: their references stay resolved
    assertThat(condition(VirtualService.class, "web", "ResolvedRefs").getStatus())
        .isEqualTo("True");
    assertThat(groupSecret())
        .containsEntry("seal.session.cryptokey", Base64.getEncoder().encodeToString(KEY));
    assertThat(renderedScript().orElseThrow().cryptoKeys().get(0).sha256()).isEqualTo(sha256);
    assertThat(condition(VirtualService.class, "web", "Programmed").getStatus()).isEqualTo("True");
  }

  @Test
  void aSecretWithoutTheLabelIsNotReadTheKeyMissingOrOfTheWrongLengthNotUsable() throws Exception {
    Secret unlabelled = opaque("unlabelled", "aes", KEY);
    unlabelled.getMetadata().setLabels(null);
    operator.create(unlabelled);
    DataScript fromUnlabelled = sealing("unlabelled", "aes");
    fromUnlabelled.getMetadata().setName("seal-unlabelled");
    operator.create(fromUnlabelled);
    operator.create(opaque("wrong-key", "other", KEY));
    operator.create(opaque("short", "aes", new byte[5]));
    operator.create(sealing("wrong-key", "aes"));
    DataScript shortKey = sealing("short", "aes");
    shortKey.getMetadata().setName("seal-short");
    operator.create(shortKey);

    eventually()
        .untilAsserted(
            () -> {
              Condition refs = condition(DataScript.class, "seal", "ResolvedRefs");
              assertThat(refs.getReason()).isEqualTo("RefNotReady");
              assertThat(refs.getMessage())
                  .isEqualTo("Not usable: Secret 'wrong-key' has no key 'aes'.");
              assertThat(condition(DataScript.class, "seal-short", "ResolvedRefs").getMessage())
                  .isEqualTo(
                      "Not usable: Secret 'short' key 'aes' holds 5 bytes; avi.crypto takes 16,"
                          + " 24 or 32 (AES) or 24 (3DES).");
              assertThat(
                      condition(DataScript.class, "seal-unlabelled", "ResolvedRefs").getMessage())
                  .isEqualTo(
                      "Not found: Secret 'unlabelled' (labelled limpet.dev/datascript-key=true,"
                          + " key 'aes').");
            });
  }
}
