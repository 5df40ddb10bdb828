package dev.limpet.operator;

import static dev.limpet.operator.RunningOperator.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.server.WebhookCall;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The admission webhook under CRD/operator version skew: objects that the operator's model does not
 * fit (raw JSON with an unknown field, an unknown enum value, a value of the wrong type) are in the
 * API when the process starts. Its webhook informers still list (the process becomes ready), it
 * keeps judging every other object, refuses to admit a spec it cannot read naming the field (as a
 * schema would), and lets such an object be deleted.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(90)
class WebhookVersionSkewTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  KubernetesClient client;
  OperatorProcess process;

  @BeforeEach
  void start() throws Exception {
    client.resource(TestResources.staticPool("p", null, "10.0.0.1")).create();
    client.resource(TestResources.virtualService("web", 80, "p")).create();
    raw(VirtualService.class, "newer", Map.of("port", 8081, "pool", "p", "prot", "HTTP2"));
    raw(
        VirtualService.class,
        "bad-enum",
        Map.of("port", 8082, "pool", "p", "service", Map.of("type", "Ingress")));
    raw(Pool.class, "bad-type", Map.of("servers", "10.0.0.2"));
    raw(DataScript.class, "bad-script", Map.of("events", "return", "pools", List.of()));
    process = new OperatorProcess(client, LoopbackSettings.of(Optional.empty(), true));
    process.start();
  }

  @AfterEach
  void stop() {
    process.close();
  }

  @Test
  void skewedObjectsNeitherStopTheWebhookNorBlurItsJudgement() throws Exception {
    eventually().until(process::ready);

    // the webhook's informers read the object with an unknown field, and judge from it
    JsonNode inUse = review("DELETE", "Pool", null, Map.of("name", "p"));
    assertThat(inUse.at("/response/allowed").asBoolean()).isFalse();
    assertThat(inUse.at("/response/status/message").asText())
        .isEqualTo(
            "Pool 'p' is in use by VirtualService 'newer', 'web';"
                + " remove it from those VirtualServices first");

    // an object that cannot be read may go
    assertThat(
            review("DELETE", "DataScript", null, Map.of("name", "bad-script"))
                .at("/response/allowed")
                .asBoolean())
        .isTrue();
    assertThat(
            review("DELETE", "Pool", null, Map.of("name", "bad-type"))
                .at("/response/allowed")
                .asBoolean())
        .isTrue();

    // a spec it cannot read does not come in: refused naming the field
    JsonNode wrongType =
        review(
            "CREATE",
            "DataScript",
            Map.of("events", "return", "pools", List.of()),
            Map.of("name", "s2"));
    assertThat(wrongType.at("/response/allowed").asBoolean()).isFalse();
    assertThat(wrongType.at("/response/status/message").asText())
        .startsWith("DataScript 's2' does not match the schema this operator reads: spec.events: ");
    JsonNode wrongEnum =
        review(
            "UPDATE",
            "VirtualService",
            Map.of("port", 8082, "pool", "p", "service", Map.of("type", "Ingress")),
            Map.of("name", "bad-enum"));
    assertThat(wrongEnum.at("/response/allowed").asBoolean()).isFalse();
    assertThat(wrongEnum.at("/response/status/message").asText())
        .contains("'bad-enum'")
        .contains("spec.service.type")
        .contains("Ingress");

    // every other object is judged as before: an unknown field passes (an API server prunes it),
    // a good script passes, a bad one is refused quoting the compiler
    assertThat(
            review(
                    "CREATE",
                    "DataScript",
                    Map.of("events", Map.of("httpRequest", "return", "onTuesday", "x")),
                    Map.of("name", "s3"))
                .at("/response/allowed")
                .asBoolean())
        .isTrue();
    JsonNode syntax =
        review(
            "CREATE",
            "DataScript",
            Map.of("events", Map.of("httpRequest", "local x = 1\noops")),
            Map.of("name", "s4"));
    assertThat(syntax.at("/response/allowed").asBoolean()).isFalse();
    assertThat(syntax.at("/response/status/message").asText())
        .isEqualTo("DataScript 's4' does not compile: httpRequest line 2: syntax error");
    assertThat(process.ready()).isTrue();
  }

  /** Writes a resource as raw JSON, the way an API server with other CRDs stores it. */
  private void raw(
      Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> type,
      String name,
      Map<String, Object> spec) {
    var resource = new GenericKubernetesResource();
    resource.setApiVersion("limpet.dev/v1alpha1");
    resource.setKind(type.getSimpleName());
    resource.setMetadata(new ObjectMeta());
    resource.getMetadata().setName(name);
    resource.getMetadata().setNamespace(TestResources.NS);
    resource.setAdditionalProperty("spec", spec);
    client
        .genericKubernetesResources(ResourceDefinitionContext.fromResourceType(type))
        .inNamespace(TestResources.NS)
        .resource(resource)
        .create();
  }

  /**
   * Posts a review as the API server sends it: the object in {@code object} (CREATE, UPDATE) or
   * {@code oldObject} (DELETE), with {@code spec} (null: an empty one).
   */
  private JsonNode review(
      String operation, String kind, Map<String, Object> spec, Map<String, Object> metadata)
      throws Exception {
    Map<String, Object> meta = new LinkedHashMap<>(metadata);
    meta.put("namespace", TestResources.NS);
    meta.put("uid", "uid-" + metadata.get("name"));
    meta.put("generation", 1);
    Map<String, Object> object =
        Map.of(
            "apiVersion",
            "limpet.dev/v1alpha1",
            "kind",
            kind,
            "metadata",
            meta,
            "spec",
            spec == null ? Map.of() : spec);
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("uid", "review-" + operation + "-" + metadata.get("name"));
    request.put("kind", Map.of("group", "limpet.dev", "version", "v1alpha1", "kind", kind));
    request.put("name", metadata.get("name"));
    request.put("namespace", TestResources.NS);
    request.put("operation", operation);
    request.put("userInfo", Map.of("username", "alice"));
    request.put(operation.equals("DELETE") ? "oldObject" : "object", object);
    String body =
        JSON.writeValueAsString(
            Map.of(
                "apiVersion",
                "admission.k8s.io/v1",
                "kind",
                "AdmissionReview",
                "request",
                request));
    return WebhookCall.validate(process.webhookAddress().orElseThrow(), body);
  }
}
