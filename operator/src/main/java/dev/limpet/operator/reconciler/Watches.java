package dev.limpet.operator.reconciler;

import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.PoolSpec;
import dev.limpet.operator.index.CachedNamespaceView;
import dev.limpet.operator.index.Indexes;
import dev.limpet.operator.index.SharedEventSource;
import dev.limpet.operator.index.SharedInformers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The informers a reconciler watches secondaries with, and the secondary-to-primary mappings
 * through indexers that say which primaries a changed object concerns.
 */
final class Watches {
  private Watches() {}

  /**
   * Whether the operator is stopping under this reconcile. JOSDK stops each controller's informers
   * (the primary one first) and empties their caches before the reconciles in flight finish, so
   * what such a reconcile read may be an empty world: it must write nothing from it (no status, no
   * Event, no configuration, no finalizer removal). The controllers stop one by one, and each
   * custom-resource kind's cache is its own controller's primary informer: a reconcile also reads
   * an emptied world once any of those stopped ({@link SharedInformers#anyPrimaryStopped}). Asked
   * after the reads: a primary informer is marked stopped before its cache is emptied.
   */
  static boolean stopped(EventSourceRetriever<?> sources, SharedInformers shared) {
    return !sources.getControllerEventSource().isRunning() || shared.anyPrimaryStopped();
  }

  static boolean stopped(Context<?> context, SharedInformers shared) {
    return stopped(context.eventSourceRetriever(), shared);
  }

  /**
   * An event source on the shared informer of {@code type} (every namespace the operator watches),
   * mapped by {@code mapper}.
   */
  static <R extends HasMetadata, P extends HasMetadata> SharedEventSource<R, P> informer(
      SharedInformers shared, Class<R> type, SecondaryToPrimaryMapper<R> mapper) {
    return new SharedEventSource<>(shared.kind(type), name(type), mapper);
  }

  /**
   * An event source that ignores updates leaving the spec and labels as they were (status,
   * finalizers): for custom resources whose status the watching reconciler does not read, which
   * would otherwise wake it for every status write of theirs.
   */
  static <R extends HasMetadata, P extends HasMetadata> SharedEventSource<R, P> specInformer(
      SharedInformers shared, Class<R> type, SecondaryToPrimaryMapper<R> mapper) {
    return new SharedEventSource<>(
        shared.kind(type),
        name(type),
        mapper,
        (next, previous) ->
            !Objects.equals(
                    next.getMetadata().getGeneration(), previous.getMetadata().getGeneration())
                || !Objects.equals(
                    next.getMetadata().getLabels(), previous.getMetadata().getLabels()));
  }

  private static String name(Class<?> type) {
    return "shared" + type.getSimpleName();
  }

  /** The primaries indexed under the key of {@code secondary} ({@code <namespace>/<name>}). */
  static <P extends HasMetadata> Set<ResourceID> ids(
      IndexedResourceCache<P> primaries, String index, HasMetadata secondary) {
    return ids(
        primaries, index, List.of(Indexes.key(secondary, secondary.getMetadata().getName())));
  }

  /** The primaries indexed under any of {@code keys}. */
  static <P extends HasMetadata> Set<ResourceID> ids(
      IndexedResourceCache<P> primaries, String index, List<String> keys) {
    return ids(keys.stream().flatMap(k -> primaries.byIndex(index, k).stream()).toList());
  }

  /**
   * The Pools that take each server's headerValue from a label of {@code pod}: those with {@code
   * headerValueFrom: PodLabel} on a Service the pod is an endpoint of.
   */
  static List<Pool> podLabelPools(
      Pod pod, SharedEventSource<EndpointSlice, ?> slices, IndexedResourceCache<Pool> pools) {
    // the pods may list before the slices do; the first reconciles read the slices anyway
    if (!slices.isRunning()) return List.of();
    return slices
        .byIndex(CachedNamespaceView.SLICE_BY_POD, Indexes.key(pod, pod.getMetadata().getName()))
        .stream()
        .flatMap(slice -> CachedNamespaceView.sliceService(slice).stream())
        .distinct()
        .flatMap(service -> pools.byIndex(Indexes.POOL_BY_SERVICE, service).stream())
        .filter(
            p ->
                p.getSpec() != null
                    && p.getSpec().service() != null
                    && p.getSpec().service().headerValueFrom()
                        == PoolSpec.HeaderValueSource.PodLabel)
        .distinct()
        .toList();
  }

  static Set<ResourceID> ids(Collection<? extends HasMetadata> resources) {
    return resources.stream().map(ResourceID::fromResource).collect(Collectors.toSet());
  }
}
