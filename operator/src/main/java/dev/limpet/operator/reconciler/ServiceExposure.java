package dev.limpet.operator.reconciler;

import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.index.NamespaceView;
import dev.limpet.operator.render.ExposureService;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a VirtualService's Service as {@link ExposureService} describes it while the VirtualService
 * is admitted: created when missing, patched when it drifted. A VirtualService that is not admitted
 * has no listener of its own (its port is closed, or another VirtualService's), so its Service is
 * deleted. Someone else's Service of the same name is left alone.
 */
final class ServiceExposure {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceExposure.class);
  private final KubernetesClient client;

  ServiceExposure(KubernetesClient client) {
    this.client = client;
  }

  /** Applies the Service and returns the address the cached one shows, if assigned yet. */
  Optional<String> apply(VirtualService vs, NamespaceView view) {
    Service desired = ExposureService.desired(vs);
    Optional<Service> actual = view.service(desired.getMetadata().getName());
    if (actual.isEmpty()) {
      create(desired);
      return Optional.empty();
    }
    if (!ours(actual.get(), vs)) {
      LOG.warn(
          "Service {}/{} exists and does not belong to VirtualService {}; left as it is",
          desired.getMetadata().getNamespace(),
          desired.getMetadata().getName(),
          vs.getMetadata().getName());
      return Optional.empty();
    }
    if (!ExposureService.matches(actual.get(), desired)) patch(desired);
    return ExposureService.address(actual.get());
  }

  /** Deletes the Service, if it is this VirtualService's. */
  void withdraw(VirtualService vs, NamespaceView view) {
    Optional<Service> actual = view.service(ExposureService.name(vs));
    if (actual.isPresent() && ours(actual.get(), vs)) client.resource(actual.get()).delete();
  }

  private static boolean ours(Service service, VirtualService vs) {
    var labels = service.getMetadata().getLabels();
    return labels != null
        && vs.getMetadata().getName().equals(labels.get(ExposureService.VIRTUAL_SERVICE_LABEL));
  }

  private void create(Service desired) {
    try {
      client.resource(desired).create();
    } catch (KubernetesClientException e) {
      if (NamespaceTermination.refused(e)) return;
      // created a moment ago, and the cache does not show it yet
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) throw e;
    }
  }

  private void patch(Service desired) {
    client
        .services()
        .inNamespace(desired.getMetadata().getNamespace())
        .withName(desired.getMetadata().getName())
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            client.getKubernetesSerialization().asJson(desired));
  }
}
