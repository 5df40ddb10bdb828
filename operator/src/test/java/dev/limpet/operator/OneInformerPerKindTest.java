package dev.limpet.operator;

import static dev.limpet.operator.RunningOperator.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.limpet.operator.decode.TolerantClient;
import dev.limpet.operator.index.ReferenceInformers;
import dev.limpet.operator.index.SharedInformers;
import dev.limpet.operator.rollout.HttpAdminEndpoint;
import dev.limpet.operator.validation.ContractScriptCompiler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each kind is watched once by the whole process, the four reconcilers, the group owner and the
 * webhook together: one shared informer per kind, which for each custom-resource kind is the
 * primary informer of its controller. A second informer on any kind shows as a second WATCH request
 * on its path.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(60)
class OneInformerPerKindTest {
  private static final String CRDS = "/apis/limpet.dev/v1alpha1/";

  /** WATCH requests by path and selector. */
  private static final Map<String, Integer> EXPECTED =
      new TreeMap<>(
          Map.ofEntries(
              Map.entry(CRDS + "virtualservices", 1),
              Map.entry(CRDS + "pools", 1),
              Map.entry(CRDS + "datascripts", 1),
              Map.entry(CRDS + "persistenceprofiles", 1),
              Map.entry("/api/v1/pods", 1),
              Map.entry("/api/v1/services", 1),
              Map.entry("/apis/discovery.k8s.io/v1/endpointslices", 1),
              Map.entry(
                  "/api/v1/configmaps labelSelector=app.kubernetes.io/managed-by=limpet-operator",
                  1),
              Map.entry(
                  "/api/v1/secrets labelSelector=app.kubernetes.io/managed-by=limpet-operator", 1),
              Map.entry("/api/v1/secrets fieldSelector=type=kubernetes.io/tls", 1),
              Map.entry("/api/v1/secrets labelSelector=limpet.dev/datascript-key=true", 1)));

  KubernetesClient client;
  KubernetesMockServer server;
  private TolerantClient own;
  private ReferenceInformers webhook;
  private Operator operator;

  @AfterEach
  void stop() {
    if (operator != null) operator.stop();
    if (webhook != null) webhook.close();
    if (own != null) own.close();
  }

  @Test
  void theControllersAndTheWebhookShareOneInformerPerKind() throws Exception {
    own = TolerantClient.over(ApiCall.operatorClient(client));
    SharedInformers shared = new SharedInformers(own.client(), Set.of());
    // in OperatorProcess's order: the controllers take the primary informers of their kinds, the
    // webhook starts (and waits for them), the operator starts
    operator =
        LimpetOperator.create(
            own,
            shared,
            Set.of(),
            new ContractScriptCompiler(),
            Clock.systemUTC(),
            new HttpAdminEndpoint(),
            o -> {});
    webhook = new ReferenceInformers(shared);
    var webhookListed = webhook.start();
    operator.start();
    webhookListed.join();

    Map<String, Integer> watches = new TreeMap<>();
    eventually()
        .until(
            () -> {
              drainWatches(watches);
              return watches.keySet().containsAll(EXPECTED.keySet());
            });
    drainWatches(watches);
    assertThat(watches).isEqualTo(EXPECTED);
    assertThat(shared.running())
        .allSatisfy((kind, informers) -> assertThat(informers).as(kind).isEqualTo(1))
        .containsOnlyKeys(
            "VirtualService",
            "Pool",
            "DataScript",
            "PersistenceProfile",
            "Pod",
            "Service",
            "EndpointSlice",
            "Secret");
  }

  @Test
  void controllersRegisteredAfterTheWebhookStartedItsOwnInformersAreRefusedClearly() {
    own = TolerantClient.over(ApiCall.operatorClient(client));
    SharedInformers shared = new SharedInformers(own.client(), Set.of());
    webhook = new ReferenceInformers(shared);
    webhook.start().join();

    // the VirtualService informer already runs for the webhook: the controller cannot take it over
    assertThatThrownBy(
            () ->
                LimpetOperator.create(
                    own,
                    shared,
                    Set.of(),
                    new ContractScriptCompiler(),
                    Clock.systemUTC(),
                    new HttpAdminEndpoint(),
                    o -> {}))
        .hasStackTraceContaining("register the operator's controllers before starting the webhook");
  }

  /** Adds the operator's WATCH requests received since the last call, by path and selector. */
  private void drainWatches(Map<String, Integer> watches) throws InterruptedException {
    for (ApiCall call : ApiCall.drain(server)) {
      if (!call.verb().equals("watch")) continue;
      String pathAndQuery = call.requestLine().substring(call.requestLine().indexOf(' ') + 1);
      int q = pathAndQuery.indexOf('?');
      String selectors =
          Arrays.stream(pathAndQuery.substring(q + 1).split("&"))
              .filter(p -> p.startsWith("labelSelector=") || p.startsWith("fieldSelector="))
              .map(p -> URLDecoder.decode(p, StandardCharsets.UTF_8))
              .sorted()
              .reduce("", (a, b) -> a + " " + b);
      watches.merge(pathAndQuery.substring(0, q) + selectors, 1, Integer::sum);
    }
  }
}
