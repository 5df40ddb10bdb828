package dev.limpet.operator.reconciler;

import static dev.limpet.operator.RunningOperator.eventually;
import static dev.limpet.operator.TestResources.staticPool;
import static dev.limpet.operator.TestResources.virtualService;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.operator.TestResources;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.VirtualService;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl delete namespace} with Limpet running, as the namespace controller and the API
 * server do it (the mock server does neither): every create in the namespace is refused with 403
 * NamespaceTerminating, the namespace controller deletes what it holds. The deletion completes: the
 * finalizers go, nothing is created.
 */
class NamespaceDeletionTest extends OperatorOnMockApi {
  private static final List<String> CREATED_IN_NAMESPACE =
      List.of(
          "/api/v1/namespaces/shop/configmaps",
          "/api/v1/namespaces/shop/secrets",
          "/api/v1/namespaces/shop/services",
          "/api/v1/namespaces/shop/events",
          "/apis/limpet.dev/v1alpha1/namespaces/shop/persistenceprofiles",
          "/apis/limpet.dev/v1alpha1/namespaces/shop/pools",
          "/apis/limpet.dev/v1alpha1/namespaces/shop/virtualservices");

  KubernetesMockServer server;

  @Test
  void deletingANamespaceThatHoldsLimpetResourcesCompletes() {
    operator.create(staticPool("p", null, "10.0.0.1"));
    operator.create(virtualService("web", 80, "p"));
    operator.awaitReady(VirtualService.class, "web");

    // the namespace is terminating: the API refuses every create in it
    for (String path : CREATED_IN_NAMESPACE)
      server
          .expect()
          .post()
          .withPath(path)
          .andReturn(
              403,
              new StatusBuilder()
                  .withStatus("Failure")
                  .withReason("Forbidden")
                  .withCode(403)
                  .withMessage(
                      "unable to create new content in namespace shop because it is being"
                          + " terminated")
                  .withNewDetails()
                  .addNewCause()
                  .withReason("NamespaceTerminating")
                  .withMessage("namespace shop is being terminated")
                  .endCause()
                  .endDetails()
                  .build())
          .always();
    // the namespace controller deletes everything in it, without order
    client.configMaps().inNamespace(TestResources.NS).delete();
    client.services().inNamespace(TestResources.NS).delete();
    client.resources(VirtualService.class).inNamespace(TestResources.NS).delete();
    client.resources(Pool.class).inNamespace(TestResources.NS).delete();

    eventually()
        .untilAsserted(
            () -> {
              assertThat(
                      client.resources(VirtualService.class).inNamespace("shop").list().getItems())
                  .isEmpty();
              assertThat(client.resources(Pool.class).inNamespace("shop").list().getItems())
                  .isEmpty();
            });
    assertThat(client.configMaps().inNamespace(TestResources.NS).list().getItems()).isEmpty();
    assertThat(client.services().inNamespace(TestResources.NS).list().getItems()).isEmpty();
  }
}
