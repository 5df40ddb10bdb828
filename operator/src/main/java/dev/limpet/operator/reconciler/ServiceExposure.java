package dev.limpet.operator.reconciler;

import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.index.NamespaceView;
import dev.limpet.operator.render.ExposureService;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
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
  private final OwnedObjects owned;

  ServiceExposure(KubernetesClient client) {
    this.owned = new OwnedObjects(client);
  }

  /** Applies the Service and returns the address the cached one shows, if assigned yet. */
  Optional<String> apply(VirtualService vs, NamespaceView view) {
    Service desired = ExposureService.desired(vs);
    Optional<Service> actual = view.service(desired.getMetadata().getName());
    if (actual.isEmpty()) {
      owned.create(desired);
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
    if (!ExposureService.matches(actual.get(), desired)) owned.patch(desired);
    return ExposureService.address(actual.get());
  }

  /** Deletes the Service, if it is this VirtualService's. */
  void withdraw(VirtualService vs, NamespaceView view) {
    Optional<Service> actual = view.service(ExposureService.name(vs));
    if (actual.isPresent() && ours(actual.get(), vs)) owned.delete(actual.get());
  }

  private static boolean ours(Service service, VirtualService vs) {
    var labels = service.getMetadata().getLabels();
    return labels != null
        && vs.getMetadata().getName().equals(labels.get(ExposureService.VIRTUAL_SERVICE_LABEL));
  }
}
