package dev.limpet.operator.server;

import static dev.limpet.operator.RunningOperator.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.limpet.operator.TestResources;
import dev.limpet.operator.admission.AdmissionPolicy;
import dev.limpet.operator.decode.TolerantClient;
import dev.limpet.operator.index.ReferenceInformers;
import dev.limpet.operator.index.ReferenceUsers;
import dev.limpet.operator.validation.ContractScriptCompiler;
import dev.limpet.testsupport.TestPki;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real AdmissionReview JSON posted over HTTP(S) to the webhook, with informers on a mock API. */
@EnableKubernetesMockClient(crud = true)
@Timeout(60)
class AdmissionWebhookTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  KubernetesClient client;
  TolerantClient reader;
  ReferenceInformers informers;
  WebhookServer webhook;

  @BeforeEach
  void start() {
    client.resource(TestResources.cookieProfile("cookie")).create();
    client.resource(TestResources.staticPool("p", "cookie", "10.0.0.1")).create();
    client.resource(TestResources.staticPool("canary", null, "10.0.0.9")).create();
    client.resource(TestResources.staticPool("spare", "cookie", "10.0.0.5")).create();
    client.resource(TestResources.dataScript("route", "return", "canary")).create();
    var vs = TestResources.virtualService("web", 80, "p");
    vs.setSpec(TestResources.withDataScripts(vs.getSpec(), List.of("route")));
    client.resource(vs).create();
    reader = TolerantClient.over(client);
    informers = new ReferenceInformers(reader.client(), Set.of());
    informers.start().join();
    eventually()
        .until(
            () -> !ReferenceUsers.ofPool(informers.lookup(), TestResources.NS, "canary").isEmpty());
  }

  @AfterEach
  void stop() {
    if (webhook != null) webhook.close();
    informers.close();
    reader.close();
  }

  @Test
  void deletionsOfObjectsInUseAreRefusedNamingTheVirtualService() throws Exception {
    startWebhook(Optional.empty());

    JsonNode pool = post(deletion("u-1", "Pool", "pools", "p", Map.of()));
    assertThat(pool.at("/apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(pool.at("/kind").asText()).isEqualTo("AdmissionReview");
    assertThat(pool.at("/response/uid").asText()).isEqualTo("u-1");
    assertThat(pool.at("/response/allowed").asBoolean()).isFalse();
    assertThat(pool.at("/response/status/message").asText())
        .isEqualTo(
            "Pool 'p' is in use by VirtualService 'web'; remove it from that VirtualService first");

    JsonNode throughScript = post(deletion("u-2", "Pool", "pools", "canary", Map.of()));
    assertThat(throughScript.at("/response/allowed").asBoolean()).isFalse();
    assertThat(throughScript.at("/response/status/message").asText()).contains("'web'");

    JsonNode profile =
        post(deletion("u-3", "PersistenceProfile", "persistenceprofiles", "cookie", Map.of()));
    assertThat(profile.at("/response/allowed").asBoolean()).isFalse();
    assertThat(profile.at("/response/status/message").asText())
        .startsWith("PersistenceProfile 'cookie' is in use by VirtualService 'web'");

    JsonNode script = post(deletion("u-4", "DataScript", "datascripts", "route", Map.of()));
    assertThat(script.at("/response/allowed").asBoolean()).isFalse();

    JsonNode unused = post(deletion("u-5", "Pool", "pools", "spare", Map.of()));
    assertThat(unused.at("/response/allowed").asBoolean()).isTrue();
    assertThat(unused.at("/response/uid").asText()).isEqualTo("u-5");
  }

  @Test
  void aDefaultSystemProfileCannotBeDeletedEvenUnused() throws Exception {
    startWebhook(Optional.empty());

    JsonNode system =
        post(
            deletion(
                "u-6",
                "PersistenceProfile",
                "persistenceprofiles",
                "system-client-ip",
                Map.of("limpet.dev/system", "true")));

    assertThat(system.at("/response/allowed").asBoolean()).isFalse();
    assertThat(system.at("/response/status/message").asText())
        .contains("default system profile")
        .contains("can be edited but not deleted");
    assertThat(
            post(deletion("u-7", "PersistenceProfile", "persistenceprofiles", "mine", Map.of()))
                .at("/response/allowed")
                .asBoolean())
        .isTrue();
  }

  @Test
  void aDeleteCarryingOnlyOldObjectIsJudgedAndNamedFromIt() throws Exception {
    startWebhook(Optional.empty());

    JsonNode system =
        post(
            collectionDeletion(
                "u-11",
                "PersistenceProfile",
                "persistenceprofiles",
                "system-client-ip",
                Map.of("limpet.dev/system", "true"),
                "alice"));
    assertThat(system.at("/response/allowed").asBoolean()).isFalse();
    assertThat(system.at("/response/status/message").asText())
        .startsWith("PersistenceProfile 'system-client-ip' is a default system profile");

    JsonNode inUse = post(collectionDeletion("u-12", "Pool", "pools", "p", Map.of(), "alice"));
    assertThat(inUse.at("/response/allowed").asBoolean()).isFalse();
    assertThat(inUse.at("/response/status/message").asText())
        .isEqualTo(
            "Pool 'p' is in use by VirtualService 'web'; remove it from that VirtualService first");

    JsonNode unused = post(collectionDeletion("u-13", "Pool", "pools", "spare", Map.of(), "alice"));
    assertThat(unused.at("/response/allowed").asBoolean()).isTrue();
  }

  @Test
  void theNamespaceControllerDeletesEverythingOfATerminatingNamespace() throws Exception {
    startWebhook(Optional.empty());

    for (String user :
        List.of(
            "system:serviceaccount:kube-system:namespace-controller",
            "system:kube-controller-manager")) {
      JsonNode system =
          post(
              collectionDeletion(
                  "u-14",
                  "PersistenceProfile",
                  "persistenceprofiles",
                  "system-http-cookie",
                  Map.of("limpet.dev/system", "true"),
                  user));
      assertThat(system.at("/response/allowed").asBoolean()).as(user).isTrue();
      JsonNode inUse = post(collectionDeletion("u-15", "Pool", "pools", "p", Map.of(), user));
      assertThat(inUse.at("/response/allowed").asBoolean()).as(user).isTrue();
      JsonNode script =
          post(collectionDeletion("u-16", "DataScript", "datascripts", "route", Map.of(), user));
      assertThat(script.at("/response/allowed").asBoolean()).as(user).isTrue();
    }
    // another service account of kube-system is not the namespace controller
    JsonNode other =
        post(
            collectionDeletion(
                "u-17",
                "Pool",
                "pools",
                "p",
                Map.of(),
                "system:serviceaccount:kube-system:default"));
    assertThat(other.at("/response/allowed").asBoolean()).isFalse();
  }

  @Test
  void aDataScriptThatDoesNotCompileIsRefusedQuotingTheCompiler() throws Exception {
    startWebhook(Optional.empty());

    JsonNode broken = post(scriptWrite("u-8", "CREATE", "local x = 1\\noops"));
    assertThat(broken.at("/response/allowed").asBoolean()).isFalse();
    assertThat(broken.at("/response/status/message").asText())
        .isEqualTo("DataScript 'route2' does not compile: httpRequest line 2: syntax error");

    JsonNode fine = post(scriptWrite("u-9", "UPDATE", "local x = 1"));
    assertThat(fine.at("/response/allowed").asBoolean()).isTrue();
  }

  @Test
  void servesHttpsWithAPemCertificateAndPkcs1Key(@TempDir Path dir) throws Exception {
    // as Helm's genSignedCert writes it: the key as PKCS#1 RSA PRIVATE KEY
    var cert =
        TestPki.selfSigned(
            "CN=limpet-webhook-test",
            List.of(),
            List.of("127.0.0.1"),
            TestPki.rsa(),
            Instant.now().minus(Duration.ofMinutes(1)),
            Instant.now().plus(Duration.ofHours(1)));
    Path crt = Files.writeString(dir.resolve("tls.crt"), cert.certificatePem());
    Path key = Files.writeString(dir.resolve("tls.key"), cert.pkcs1KeyPem());
    startWebhook(Optional.of(PemTls.serverContext(crt, key)));
    HttpClient https = HttpClient.newBuilder().sslContext(cert.trustingContext()).build();

    var response =
        https.send(
            HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + webhook.address().getPort() + "/validate"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        deletion("u-10", "Pool", "pools", "p", Map.of())))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).at("/response/status/message").asText())
        .contains("'web'");
  }

  private void startWebhook(Optional<SSLContext> tls) throws Exception {
    webhook =
        new WebhookServer(
            new InetSocketAddress("127.0.0.1", 0),
            tls,
            new AdmissionPolicy(informers.lookup(), new ContractScriptCompiler(), reader),
            reader.serialization());
  }

  private JsonNode post(String review) throws Exception {
    return WebhookCall.validate(webhook.address(), review);
  }

  /** A DELETE review as the API server sends it: the object being deleted is oldObject. */
  private static String deletion(
      String uid, String kind, String resource, String name, Map<String, String> labels)
      throws Exception {
    return deletion(uid, kind, resource, "\"name\": \"" + name + "\",", name, labels, "alice");
  }

  /**
   * A DELETE review of one object of a deleted collection (what the namespace controller's
   * deletecollection makes the API server send): no name on the request, only oldObject, no object.
   */
  private static String collectionDeletion(
      String uid,
      String kind,
      String resource,
      String name,
      Map<String, String> labels,
      String user)
      throws Exception {
    return deletion(uid, kind, resource, "", name, labels, user);
  }

  private static String deletion(
      String uid,
      String kind,
      String resource,
      String requestName,
      String name,
      Map<String, String> labels,
      String user)
      throws Exception {
    String oldObject =
        """
        {"apiVersion": "limpet.dev/v1alpha1", "kind": "%s",
         "metadata": {"name": "%s", "namespace": "shop", "labels": %s}, "spec": {}}"""
            .formatted(kind, name, JSON.writeValueAsString(labels));
    return """
        {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
         "request": {"uid": "%s",
                     "kind": {"group": "limpet.dev", "version": "v1alpha1", "kind": "%s"},
                     "resource": {"group": "limpet.dev", "version": "v1alpha1", "resource": "%s"},
                     %s "namespace": "shop", "operation": "DELETE",
                     "userInfo": {"username": "%s"},
                     "oldObject": %s, "dryRun": false}}"""
        .formatted(uid, kind, resource, requestName, user, oldObject);
  }

  private static String scriptWrite(String uid, String operation, String lua) {
    return """
        {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
         "request": {"uid": "%s",
                     "kind": {"group": "limpet.dev", "version": "v1alpha1", "kind": "DataScript"},
                     "resource": {"group": "limpet.dev", "version": "v1alpha1",
                                  "resource": "datascripts"},
                     "name": "route2", "namespace": "shop", "operation": "%s",
                     "userInfo": {"username": "alice"},
                     "object": {"apiVersion": "limpet.dev/v1alpha1", "kind": "DataScript",
                                "metadata": {"name": "route2", "namespace": "shop"},
                                "spec": {"events": {"httpRequest": "%s"}}}}}"""
        .formatted(uid, operation, lua);
  }
}
