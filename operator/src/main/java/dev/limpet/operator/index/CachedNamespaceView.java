package dev.limpet.operator.index;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import io.javaoperatorsdk.operator.processing.event.NoEventSourceForClassException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link NamespaceView} over a reconcile's event-source caches. A kind the controller does not
 * watch reads as absent.
 */
public final class CachedNamespaceView implements NamespaceView {
  /** The label that ties an EndpointSlice to its Service. */
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  /** The EndpointSlice indexer: slices by {@code <namespace>/<service>}. */
  public static final String SLICE_BY_SERVICE = "sliceByService";

  /** The EndpointSlice indexer: slices by the pods of their endpoints. */
  public static final String SLICE_BY_POD = "sliceByPod";

  /** The event source of user Secrets of type kubernetes.io/tls. */
  public static final String TLS_SECRETS = "tlsSecrets";

  /** The event source of the labelled user Secrets DataScript crypto keys come from. */
  public static final String KEY_SECRETS = "keySecrets";

  /** The event source of the groups' own TLS Secrets (labelled managed-by the operator). */
  public static final String GROUP_SECRETS = "groupSecrets";

  private final EventSourceRetriever<?> sources;
  private final String namespace;

  public CachedNamespaceView(Context<?> context, String namespace) {
    this(context.eventSourceRetriever(), namespace);
  }

  /** Over a controller's event sources, also outside a reconcile. */
  public CachedNamespaceView(EventSourceRetriever<?> sources, String namespace) {
    this.sources = sources;
    this.namespace = namespace;
  }

  @Override
  public List<EndpointSlice> endpointSlices(String serviceName) {
    return source(EndpointSlice.class)
        .map(s -> s.byIndex(SLICE_BY_SERVICE, Indexes.key(namespace, serviceName)))
        .orElse(List.of());
  }

  @Override
  public Map<String, String> podLabels(String podName) {
    return get(Pod.class, podName)
        .map(p -> p.getMetadata().getLabels())
        .map(Map::copyOf)
        .orElse(Map.of());
  }

  @Override
  public Optional<Secret> tlsSecret(String name) {
    return secrets(TLS_SECRETS).flatMap(s -> s.get(new ResourceID(name, namespace)));
  }

  @Override
  public Optional<Secret> keySecret(String name) {
    return secrets(KEY_SECRETS).flatMap(s -> s.get(new ResourceID(name, namespace)));
  }

  @Override
  public Map<String, String> publishedCertificates(String group) {
    return secrets(GROUP_SECRETS)
        .flatMap(s -> s.get(new ResourceID(GroupSecrets.name(group), namespace)))
        .map(GroupSecrets::decoded)
        .orElse(Map.of());
  }

  @SuppressWarnings("unchecked")
  private Optional<ResourceCache<Secret>> secrets(String name) {
    try {
      return Optional.of((ResourceCache<Secret>) sources.getEventSourceFor(Secret.class, name));
    } catch (RuntimeException e) {
      return Optional.empty(); // this controller does not watch Secrets
    }
  }

  /** Indexes EndpointSlices by the pods of their endpoints ({@code <namespace>/<pod>}). */
  public static List<String> slicePods(EndpointSlice slice) {
    if (slice.getEndpoints() == null) return List.of();
    return slice.getEndpoints().stream()
        .map(e -> e.getTargetRef())
        .filter(r -> r != null && "Pod".equals(r.getKind()) && r.getName() != null)
        .map(r -> Indexes.key(slice, r.getName()))
        .distinct()
        .toList();
  }

  /** Indexes EndpointSlices by their Service, for {@link #endpointSlices}. */
  public static List<String> sliceService(EndpointSlice slice) {
    var labels = slice.getMetadata().getLabels();
    String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
    return service == null ? List.of() : List.of(Indexes.key(slice, service));
  }

  @Override
  public <R extends HasMetadata> Optional<R> get(Class<R> type, String name) {
    return source(type).flatMap(s -> s.get(new ResourceID(name, namespace)));
  }

  @SuppressWarnings("unchecked")
  private <R extends HasMetadata> Optional<IndexedResourceCache<R>> source(Class<R> type) {
    try {
      return Optional.of((IndexedResourceCache<R>) sources.getEventSourceFor(type));
    } catch (NoEventSourceForClassException e) {
      return Optional.empty();
    }
  }
}
