package dev.limpet.operator.index;

import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.Pool;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The objects of one namespace that references resolve against. The operator reads them from its
 * informer caches; tests from maps.
 */
public interface NamespaceView {
  /** The object of kind {@code type} named {@code name}; empty when absent or not watched. */
  <R extends HasMetadata> Optional<R> get(Class<R> type, String name);

  default Optional<Pool> pool(String name) {
    return get(Pool.class, name);
  }

  default Optional<PersistenceProfile> profile(String name) {
    return get(PersistenceProfile.class, name);
  }

  default Optional<DataScript> dataScript(String name) {
    return get(DataScript.class, name);
  }

  default Optional<Service> service(String name) {
    return get(Service.class, name);
  }

  /** The EndpointSlices of a Service (label {@code kubernetes.io/service-name}). */
  List<EndpointSlice> endpointSlices(String serviceName);

  /** A pod's labels; empty when the pod is not known. */
  Map<String, String> podLabels(String podName);

  /** A Secret of type {@code kubernetes.io/tls} (only those are watched). */
  Optional<Secret> tlsSecret(String name);

  /**
   * A Secret labelled {@code limpet.dev/datascript-key=true} (only those are watched for DataScript
   * crypto keys); empty when not found or not watched.
   */
  default Optional<Secret> keySecret(String name) {
    return Optional.empty();
  }

  /**
   * What a data-plane group's TLS Secret holds now (key to PEM text), the certificates last
   * published for it; empty when it has none.
   */
  Map<String, String> publishedCertificates(String group);
}
