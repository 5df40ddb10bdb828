package dev.limpet.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.limpet.dataplane.persistence.CookieKeySet;
import dev.limpet.dataplane.tls.TicketKeySet;
import dev.limpet.operator.server.PemTls;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Secrets the chart makes at install: cookie keys and TLS ticket keys the data plane loads, a
 * peer secret long enough, a webhook certificate the operator loads and the API server trusts; and
 * an upgrade (a cluster that holds them) keeps every one of them.
 */
@Timeout(60)
class GeneratedSecretsTest {
  @RegisterExtension static final LookupCluster CLUSTER = new LookupCluster();
  private static final ValuesCase DEFAULTS = ValuesCase.named("defaults");
  @TempDir Path work;

  @AfterEach
  void emptyTheCluster() {
    CLUSTER.client().secrets().inNamespace(LimpetChart.NAMESPACE).delete();
  }

  @Test
  void aFirstInstallMakesOneCookieKeyOf32BytesThatTheDataPlaneLoads() throws Exception {
    Manifests manifests = LimpetChart.template(DEFAULTS);
    byte[] keysJson = data(mounted(manifests, "dataplane", "cookie-keys"), "keys.json");

    JsonNode keys = ValuesCase.YAML.readTree(keysJson).get("cookieKeys");
    assertThat(keys).hasSize(1);
    assertThat(Base64.getDecoder().decode(keys.get(0).get("secret").asText())).hasSize(32);
    Path file = Files.write(work.resolve("keys.json"), keysJson);
    assertThat(CookieKeySet.load(file).ids()).containsExactly(keys.get(0).get("id").asText());
  }

  @Test
  void aFirstInstallMakesOneTicketKeyOf48BytesThatTheDataPlaneLoads() throws Exception {
    Manifests manifests = LimpetChart.template(DEFAULTS);
    byte[] keysJson = data(mounted(manifests, "dataplane", "ticket-keys"), "ticket-keys.json");

    JsonNode keys = ValuesCase.YAML.readTree(keysJson).get("ticketKeys");
    assertThat(keys).hasSize(1);
    assertThat(Base64.getDecoder().decode(keys.get(0).get("secret").asText())).hasSize(48);
    String json = new String(keysJson, StandardCharsets.UTF_8);
    assertThat(TicketKeySet.parse(json, "ticket-keys.json").ids())
        .containsExactly(keys.get(0).get("id").asText());
  }

  @Test
  void aFirstInstallMakesAPeerSecretOfAtLeast16Bytes() {
    Manifests manifests = LimpetChart.template(DEFAULTS);

    // the data plane refuses a shorter one
    assertThat(data(mounted(manifests, "dataplane", "peer-secret"), "secret").length)
        .isGreaterThanOrEqualTo(16);
  }

  @Test
  void aFirstInstallMakesAWebhookCertificateForItsServiceSignedByTheRegisteredCa()
      throws Exception {
    Manifests manifests = LimpetChart.template(DEFAULTS);
    Secret secret = mounted(manifests, "operator", "webhook-cert");
    var webhook = manifests.all(ValidatingWebhookConfiguration.class).get(0).getWebhooks().get(0);
    X509Certificate ca =
        certificate(Base64.getDecoder().decode(webhook.getClientConfig().getCaBundle()));
    X509Certificate cert = certificate(data(secret, "tls.crt"));

    cert.verify(ca.getPublicKey());
    cert.checkValidity();
    String service = webhook.getClientConfig().getService().getName();
    assertThat(cert.getSubjectAlternativeNames())
        .contains(List.of(2, service + "." + LimpetChart.NAMESPACE + ".svc"));
    assertThat(data(secret, "ca.crt"))
        .isEqualTo(Base64.getDecoder().decode(webhook.getClientConfig().getCaBundle()));
    // the operator reads the PKCS#1 key Helm writes
    Path crt = Files.write(work.resolve("tls.crt"), data(secret, "tls.crt"));
    Path key = Files.write(work.resolve("tls.key"), data(secret, "tls.key"));
    assertThat(PemTls.serverContext(crt, key)).isNotNull();
  }

  @Test
  void anUpgradeKeepsTheSecretsItFindsInTheCluster() {
    Manifests first = LimpetChart.template(DEFAULTS);
    Manifests unrelated = LimpetChart.template(DEFAULTS);
    for (Secret secret : first.all(Secret.class))
      CLUSTER.client().secrets().inNamespace(LimpetChart.NAMESPACE).resource(secret).create();

    Manifests upgrade = LimpetChart.template(DEFAULTS);

    assertThat(first.all(Secret.class)).hasSize(4);
    for (Secret secret : first.all(Secret.class)) {
      String name = secret.getMetadata().getName();
      assertThat(upgrade.one(Secret.class, name).getData()).as(name).isEqualTo(secret.getData());
      // two installs never share a secret: the equality above is the lookup's doing
      assertThat(unrelated.one(Secret.class, name).getData())
          .as(name)
          .isNotEqualTo(secret.getData());
    }
    assertThat(caBundle(upgrade)).isEqualTo(caBundle(first));
  }

  @Test
  void anUpgradeWithTheReusedValuesOfAChartBeforeTlsMakesTheTicketKeys() {
    // helm upgrade --reuse-values renders with the old chart's values: null deletes a default here
    ValuesCase beforeTls =
        ValuesCase.write(work, "before-tls", "dataPlane: {tlsProvider: null, ticketKeys: null}");
    Manifests upgrade = LimpetChart.template(beforeTls);

    assertThat(data(mounted(upgrade, "dataplane", "ticket-keys"), "ticket-keys.json")).isNotEmpty();
    assertThat(Manifests.container(upgrade.deployment("dataplane")).getArgs())
        .contains("--tls-provider=auto");
  }

  /** The Secret behind the volume {@code volume} of the Deployment of {@code container}. */
  private static Secret mounted(Manifests manifests, String container, String volume) {
    Deployment deployment = manifests.deployment(container);
    Volume v =
        deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(candidate -> candidate.getName().equals(volume))
            .findFirst()
            .orElseThrow();
    return manifests.one(Secret.class, v.getSecret().getSecretName());
  }

  private static byte[] data(Secret secret, String key) {
    Map<String, String> data = secret.getData();
    assertThat(data).containsKey(key);
    return Base64.getDecoder().decode(data.get(key));
  }

  private static String caBundle(Manifests manifests) {
    return manifests
        .all(ValidatingWebhookConfiguration.class)
        .get(0)
        .getWebhooks()
        .get(0)
        .getClientConfig()
        .getCaBundle();
  }

  private static X509Certificate certificate(byte[] pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
  }
}
