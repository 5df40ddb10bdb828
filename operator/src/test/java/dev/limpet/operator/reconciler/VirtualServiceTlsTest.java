package dev.limpet.operator.reconciler;

import static dev.limpet.operator.RunningOperator.eventually;
import static dev.limpet.operator.TestResources.NS;
import static dev.limpet.operator.TestResources.staticPool;
import static dev.limpet.operator.TestResources.virtualService;
import static dev.limpet.operator.TestResources.withTls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.ClientCertificatesConfig;
import dev.limpet.contract.ConfigLoader;
import dev.limpet.contract.DataPlaneConfig;
import dev.limpet.contract.TlsCertificateConfig;
import dev.limpet.operator.TestResources;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.api.VirtualServiceSpec;
import dev.limpet.operator.index.GroupSecrets;
import dev.limpet.testsupport.TestPki;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TLS VirtualServices against the mock API server: certificates from kubernetes.io/tls Secrets go
 * into the group's TLS Secret and, by digest, into its configuration; a missing, malformed or
 * expired Secret shows in ResolvedRefs, and one that turns bad keeps its last good certificate.
 */
class VirtualServiceTlsTest extends OperatorOnMockApi {
  private static final String GROUP_SECRET = GroupSecrets.name("default");

  @BeforeEach
  void start() {
    operator.create(staticPool("p", null, "10.0.0.1"));
  }

  @Test
  void aGoodSecretIsPublishedAndATurnedBadOneKeepsItsLastGoodCertificate() throws Exception {
    var good = TestPki.selfSigned("shop.example.com");
    operator.create(TestResources.tlsSecret("shop-tls", good.certificatePem(), good.pkcs1KeyPem()));
    operator.create(tlsService("web", 443, "shop-tls"));

    eventually()
        .untilAsserted(() -> assertThat(condition("web", "Ready").getStatus()).isEqualTo("True"));
    assertThat(groupSecret())
        .containsEntry("shop-tls.crt", good.certificatePem())
        .containsEntry("shop-tls.key", good.pkcs1KeyPem());
    TlsCertificateConfig published = certificate("web");
    assertThat(published.secretKey()).isEqualTo("shop-tls");
    assertThat(published.sha256())
        .isEqualTo(TlsCertificateConfig.digest(good.certificatePem(), good.pkcs1KeyPem()));

    var other = TestPki.selfSigned("other.example.com");
    operator.edit(
        Secret.class,
        "shop-tls",
        s -> {
          s.setData(null);
          s.setStringData(Map.of("tls.crt", good.certificatePem(), "tls.key", other.pkcs1KeyPem()));
        });

    eventually()
        .untilAsserted(
            () -> {
              Condition refs = condition("web", "ResolvedRefs");
              assertThat(refs.getStatus()).isEqualTo("False");
              assertThat(refs.getReason()).isEqualTo("RefNotReady");
              assertThat(refs.getMessage())
                  .contains("Secret 'shop-tls': the private key does not match the certificate")
                  .contains("keeps serving its last good certificate");
            });
    assertThat(groupSecret()).containsEntry("shop-tls.key", good.pkcs1KeyPem());
    assertThat(certificate("web").sha256()).isEqualTo(published.sha256());
    assertThat(condition("web", "Programmed").getStatus()).isEqualTo("True");

    var renewed = TestPki.selfSigned("shop.example.com");
    operator.edit(
        Secret.class,
        "shop-tls",
        s -> {
          s.setData(null);
          s.setStringData(
              Map.of("tls.crt", renewed.certificatePem(), "tls.key", renewed.pkcs1KeyPem()));
        });

    eventually()
        .untilAsserted(
            () -> {
              assertThat(condition("web", "ResolvedRefs").getStatus()).isEqualTo("True");
              assertThat(certificate("web").sha256())
                  .isEqualTo(
                      TlsCertificateConfig.digest(renewed.certificatePem(), renewed.pkcs1KeyPem()));
              assertThat(groupSecret()).containsEntry("shop-tls.key", renewed.pkcs1KeyPem());
            });
  }

  @Test
  void aMissingMalformedOrExpiredSecretKeepsANewServiceOut() throws Exception {
    operator.create(tlsService("missing", 443, "nope"));
    operator.create(TestResources.tlsSecret("garbage", "not a certificate", "not a key"));
    operator.create(tlsService("malformed", 444, "garbage"));
    var expired =
        TestPki.selfSigned("old.example.com", Instant.now().minusSeconds(3600), TestPki.rsa());
    operator.create(
        TestResources.tlsSecret("old", expired.certificatePem(), expired.pkcs1KeyPem()));
    operator.create(tlsService("expired", 445, "old"));

    eventually()
        .untilAsserted(
            () -> {
              Condition missing = condition("missing", "ResolvedRefs");
              assertThat(missing.getReason()).isEqualTo("RefNotFound");
              assertThat(missing.getMessage())
                  .isEqualTo("Not found: Secret 'nope' (type kubernetes.io/tls).");
              assertThat(condition("malformed", "ResolvedRefs").getMessage())
                  .isEqualTo(
                      "Not usable: Secret 'garbage': certificate: no PEM certificate found.");
              assertThat(condition("expired", "ResolvedRefs").getMessage())
                  .startsWith("Not usable: Secret 'old': the certificate expired on ");
              for (String vs : List.of("missing", "malformed", "expired")) {
                assertThat(condition(vs, "Accepted").getStatus()).isEqualTo("True");
                assertThat(condition(vs, "Programmed").getReason()).isEqualTo("Pending");
              }
            });
    DataPlaneConfig config = ConfigLoader.parse(operator.groupConfig("default").orElseThrow());
    assertThat(config.virtualServices()).isEmpty();
  }

  @Test
  void aBadTlsSpecIsNotAccepted() throws Exception {
    var good = TestPki.selfSigned("shop.example.com");
    operator.create(TestResources.tlsSecret("shop-tls", good.certificatePem(), good.pkcs1KeyPem()));
    VirtualService vs = virtualService("web", 443, "p");
    vs.setSpec(
        withTls(
            vs.getSpec(),
            new VirtualServiceSpec.Tls(
                List.of(new VirtualServiceSpec.Certificate("shop-tls", null)),
                "other-tls",
                null,
                List.of("TLS_RSA_WITH_RC4_128_MD5"),
                new VirtualServiceSpec.Upstream(true, "not PEM", null))));
    operator.create(vs);

    eventually()
        .untilAsserted(
            () -> {
              Condition accepted = condition("web", "Accepted");
              assertThat(accepted.getStatus()).isEqualTo("False");
              assertThat(accepted.getMessage())
                  .contains("spec.tls.defaultCertificate: no certificate named 'other-tls'")
                  .contains(
                      "spec.tls.ciphers[0]: 'TLS_RSA_WITH_RC4_128_MD5' is not a supported cipher")
                  .contains("spec.tls.upstream.caCertificates: certificate: no PEM certificate");
            });
  }

  @Test
  void clientCertificatesAreRenderedAndABadAuthorityBundleIsNotAccepted() throws Exception {
    var good = TestPki.selfSigned("shop.example.com");
    operator.create(TestResources.tlsSecret("shop-tls", good.certificatePem(), good.pkcs1KeyPem()));
    operator.create(
        tlsService(
            "web",
            443,
            "shop-tls",
            new VirtualServiceSpec.ClientCertificates(
                VirtualServiceSpec.ClientCertificateMode.Require, good.certificatePem())));
    operator.create(
        tlsService(
            "bad",
            444,
            "shop-tls",
            new VirtualServiceSpec.ClientCertificates(
                VirtualServiceSpec.ClientCertificateMode.Request, "not PEM")));

    eventually()
        .untilAsserted(
            () -> {
              assertThat(condition("web", "Ready").getStatus()).isEqualTo("True");
              Condition accepted = condition("bad", "Accepted");
              assertThat(accepted.getStatus()).isEqualTo("False");
              assertThat(accepted.getMessage())
                  .contains("spec.tls.clientCertificates.caCertificates: certificate: no PEM");
            });
    DataPlaneConfig config = ConfigLoader.parse(operator.groupConfig("default").orElseThrow());
    var clients = config.virtualServices().get(0).tls().clientCertificates();
    assertThat(clients.mode()).isEqualTo(ClientCertificatesConfig.Mode.REQUIRE);
    assertThat(clients.caCertificates()).isEqualTo(good.certificatePem());
  }

  private static VirtualService tlsService(String name, int port, String secret) {
    return tlsService(name, port, secret, null);
  }

  /**
   * A VirtualService on Pool p terminating TLS with the certificate in {@code secret}, asking
   * clients for theirs as {@code clients} says (null: not at all).
   */
  private static VirtualService tlsService(
      String name, int port, String secret, VirtualServiceSpec.ClientCertificates clients) {
    VirtualService vs = virtualService(name, port, "p");
    vs.setSpec(
        withTls(
            vs.getSpec(),
            new VirtualServiceSpec.Tls(
                List.of(new VirtualServiceSpec.Certificate(secret, null)),
                null,
                null,
                null,
                null,
                clients)));
    return vs;
  }

  private TlsCertificateConfig certificate(String vs) throws Exception {
    DataPlaneConfig config = ConfigLoader.parse(operator.groupConfig("default").orElseThrow());
    return config.virtualServices().stream()
        .filter(v -> v.name().equals(vs))
        .findFirst()
        .orElseThrow()
        .tls()
        .certificates()
        .get(0);
  }

  private Map<String, String> groupSecret() {
    return GroupSecrets.decoded(client.secrets().inNamespace(NS).withName(GROUP_SECRET).get());
  }

  private Condition condition(String vs, String type) {
    return operator.condition(VirtualService.class, vs, type).orElseThrow();
  }
}
