package dev.limpet.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.contract.DataPlaneGroup;
import dev.limpet.contract.TlsCertificateConfig;
import dev.limpet.dataplane.runtime.ConfigMapSource;
import dev.limpet.dataplane.runtime.TlsSecretSource;
import dev.limpet.dataplane.testing.GroupConfigMap;
import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.TlsClient;
import dev.limpet.dataplane.testing.TlsDocument;
import dev.limpet.testsupport.TestPki;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.netty.handler.ssl.SslProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The data plane as the operator feeds it, on the mock API server: a ConfigMap whose configuration
 * names certificates by digest, and the group's TLS Secret holding them. A configuration waits for
 * its certificates; a rotation is a new Secret content plus a configuration naming it; content that
 * does not parse is refused and the last good certificate keeps serving.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(60)
class TlsSecretModeTest {
  private static final String NS = "limpet";
  private static final String CONFIG_MAP = DataPlaneGroup.configMapName("default");
  private static final String SECRET = DataPlaneGroup.tlsSecretName("default");
  private static final TestPki CA = TestPki.authority("secret-mode-ca");
  private static final String SNI = "shop.example.com";

  KubernetesClient client;
  private ProxyFixture fx;
  private ConfigMapSource configs;
  private TlsSecretSource secrets;

  @BeforeEach
  void start() throws Exception {
    fx = new ProxyFixture(1, 191, SslProvider.JDK, "a");
    configs = new ConfigMapSource(client, NS, CONFIG_MAP, fx.dataPlane::reload);
    secrets = new TlsSecretSource(client, NS, SECRET, fx.dataPlane::tlsSecretChanged);
    secrets.start();
    configs.start();
  }

  @AfterEach
  void stop() {
    configs.close();
    secrets.close();
    fx.close();
  }

  @Test
  void aConfigurationWaitsForItsCertificatesAndARotationNeedsBoth() throws Exception {
    TestPki.Issued v1 = CA.issue("v1", List.of(SNI), List.of());
    // the replica started without a ConfigMap: ready, with nothing to serve
    await().atMost(Duration.ofSeconds(20)).until(() -> fx.dataPlane.ready());
    writeConfig("1", v1);
    // "1" waits for its certificate
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> "none".equals(version()));

    writeSecret(v1.certificatePem(), v1.keyPem());
    await().atMost(Duration.ofSeconds(20)).until(() -> "1".equals(version()));
    assertThat(peer()).isEqualTo("v1");

    // the operator writes the Secret first, then the configuration that names its new content
    TestPki.Issued v2 = CA.issue("v2", List.of(SNI), List.of());
    writeSecret(v2.certificatePem(), v2.pkcs1KeyPem());
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(() -> assertThat(peer()).isEqualTo("v1"));
    writeConfig("2", v2.certificatePem(), v2.pkcs1KeyPem());
    await().atMost(Duration.ofSeconds(20)).until(() -> "2".equals(version()));
    assertThat(peer()).isEqualTo("v2");
  }

  @Test
  void contentThatDoesNotParseIsRefusedAndTheLastGoodKeepsServing() throws Exception {
    TestPki.Issued v1 = CA.issue("v1", List.of(SNI), List.of());
    writeSecret(v1.certificatePem(), v1.keyPem());
    writeConfig("1", v1);
    await().atMost(Duration.ofSeconds(20)).until(() -> "1".equals(version()));

    // a hand edit: the digest matches, the key is another certificate's
    String wrongKey = CA.issue("other", List.of(SNI), List.of()).keyPem();
    writeSecret(v1.certificatePem(), wrongKey);
    writeConfig("2", v1.certificatePem(), wrongKey);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .untilAsserted(
            () -> {
              assertThat(version()).isEqualTo("1");
              assertThat(peer()).isEqualTo("v1");
            });
  }

  private void writeConfig(String version, TestPki.Issued certificate) {
    writeConfig(version, certificate.certificatePem(), certificate.keyPem());
  }

  private void writeConfig(String version, String certificatePem, String keyPem) {
    String document =
        fx.render(
            new TlsDocument()
                .version(version)
                .secret("shop", "shop-tls", TlsCertificateConfig.digest(certificatePem, keyPem))
                .render(fx.servers()));
    GroupConfigMap.write(client, NS, CONFIG_MAP, document);
  }

  private void writeSecret(String certificatePem, String keyPem) {
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(SECRET)
                .withNamespace(NS)
                .endMetadata()
                .withStringData(
                    Map.of(
                        TlsCertificateConfig.certificateKey("shop-tls"), certificatePem,
                        TlsCertificateConfig.privateKeyKey("shop-tls"), keyPem))
                .build())
        .createOr(existing -> existing.update());
  }

  private String version() {
    return fx.dataPlane.current().version();
  }

  private String peer() {
    try (TlsClient tls = new TlsClient(CA.clientContext(), fx.port, SNI)) {
      return tls.peerName();
    }
  }
}
