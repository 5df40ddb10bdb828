package dev.limpet.operator;

import static dev.limpet.operator.RunningOperator.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.limpet.operator.server.WebhookCall;
import dev.limpet.testsupport.MockApi;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@EnableKubernetesMockClient(crud = true)
@Timeout(90)
class OperatorProcessTest {
  KubernetesClient client;
  KubernetesMockServer server;
  KubernetesClient operatorClient;
  OperatorProcess process;
  FakeDataPlane replica;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeEach
  void start() throws Exception {
    MockApi.grantLeaseAccess(server);
    operatorClient = ApiCall.operatorClient(client);
    process =
        new OperatorProcess(
            operatorClient, LoopbackSettings.of(Optional.of(LoopbackSettings.lease("me")), true));
    process.start();
  }

  @AfterEach
  void stop() {
    if (replica != null) replica.close();
    process.close();
    operatorClient.close();
  }

  @Test
  void leadsThroughALeaseReconcilesAndServesProbesAndMetrics() throws Exception {
    eventually()
        .untilAsserted(
            () -> {
              Lease lease =
                  client.leases().inNamespace("limpet-system").withName("limpet-operator").get();
              assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("me");
              assertThat(process.leading()).isTrue();
            });
    var operator = new RunningOperator(client);
    replica = new FakeDataPlane(client, TestResources.NS, "default", "dataplane-0", "127.0.0.3");
    operator.create(TestResources.staticPool("p", null, "10.0.0.1"));
    operator.create(TestResources.virtualService("web", 80, "p"));
    operator.awaitReady(dev.limpet.operator.api.VirtualService.class, "web");

    // the webhook of the process answers, from the informers it shares with the controllers
    String review =
        """
        {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
         "request": {"uid": "u", "kind": {"group": "limpet.dev", "version": "v1alpha1",
                     "kind": "Pool"}, "name": "p", "namespace": "shop", "operation": "DELETE"}}""";
    eventually()
        .untilAsserted(
            () -> {
              JsonNode answer =
                  WebhookCall.validate(process.webhookAddress().orElseThrow(), review);
              assertThat(answer.at("/response/allowed").asBoolean()).isFalse();
              assertThat(answer.at("/response/status/message").asText())
                  .contains("in use by VirtualService 'web'");
            });

    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    eventually().untilAsserted(() -> assertThat(get("/readyz").statusCode()).isEqualTo(200));
    String metrics = get("/metrics").body();
    assertThat(metrics).contains("limpet_operator_leader 1.0");
    assertThat(metrics).contains("operator_sdk_").contains("jvm_memory_used_bytes");

    List<ApiCall> calls = ApiCall.drain(server);
    assertThat(calls).extracting(ApiCall::resource).contains("leases", "virtualservices/status");
    assertThat(calls)
        .as("requests not allowed by operator/rbac.yaml (Permissions)")
        .filteredOn(c -> !Permissions.allows(c.group(), c.resource(), c.verb()))
        .isEmpty();
  }

  @Test
  void stoppingTurnsReadinessOffAndClosesTheProbePort() throws Exception {
    eventually().untilAsserted(() -> assertThat(process.ready()).isTrue());
    URI readyz = uri("/readyz");

    process.close();

    assertThat(process.ready()).isFalse();
    assertThat(
            http.sendAsync(
                    HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.ofString())
                .handle((r, e) -> e != null)
                .get())
        .as("the probe port is closed")
        .isTrue();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    var a = process.probeAddress();
    return URI.create("http://127.0.0.1:" + a.getPort() + path);
  }
}
