package dev.limpet.operator.index;

import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.rollout.DataPlanePods;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.api.config.ConfigurationService;
import io.javaoperatorsdk.operator.api.config.InformerStoppedHandler;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The process's one informer per watched kind (one per namespace when the operator watches a list
 * of them), each with every indexer of {@link Indexes} for its kind, shared by the controllers
 * (through {@link SharedEventSource}) and the webhook. A kind's informer starts with its first user
 * and closes with its last, so every controller stopping (or the webhook closing) stops its watch.
 * The controllers' primary informers stay JOSDK's.
 */
public final class SharedInformers {
  /**
   * The label a Secret needs for its keys to be DataScript crypto keys: the only Secrets shared
   * here. The Secret's owner opts in to their copy into the data plane, and the operator caches no
   * other Secrets for it (as Argo CD's {@code argocd.argoproj.io/secret-type} label does).
   */
  public static final String CRYPTO_KEY_LABEL = "limpet.dev/datascript-key";

  private final KubernetesClient client;
  private final Set<String> namespaces;
  private final Map<Class<?>, Kind<?>> kinds = new HashMap<>();
  private volatile Duration syncTimeout = Duration.ofMinutes(2);
  private volatile Optional<InformerStoppedHandler> stopped = Optional.empty();

  /**
   * @param namespaces the watched namespaces; empty: all
   */
  public SharedInformers(KubernetesClient client, Set<String> namespaces) {
    this.client = client;
    this.namespaces = Set.copyOf(namespaces);
  }

  /**
   * Treats the shared informers as JOSDK treats its own, by the operator's configuration: how long
   * the first list may take, and what an informer that stops (with an error: exit) does.
   */
  public void configure(ConfigurationService configuration) {
    syncTimeout = configuration.cacheSyncTimeout();
    stopped = configuration.getInformerStoppedHandler();
  }

  /** The one cache of {@code type}, registered with all its indexers on first use. */
  @SuppressWarnings("unchecked")
  public synchronized <R extends HasMetadata> Kind<R> kind(Class<R> type) {
    return (Kind<R>) kinds.computeIfAbsent(type, t -> new Kind<>(type, indexers(type)));
  }

  /** How many informers run, by kind: one per watched namespace (or one for all) at most. */
  public synchronized Map<String, Integer> running() {
    Map<String, Integer> running = new HashMap<>();
    kinds.forEach(
        (type, kind) -> {
          int n = kind.runningInformers();
          if (n > 0) running.put(type.getSimpleName(), n);
        });
    return running;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <R> Map<String, Function<R, List<String>>> indexers(Class<R> type) {
    Map map;
    if (type == VirtualService.class)
      map =
          Map.<String, Function<VirtualService, List<String>>>of(
              Indexes.VS_BY_POOL, Indexes::vsPool,
              Indexes.VS_BY_DATASCRIPT, Indexes::vsDataScripts,
              Indexes.VS_BY_GROUP, Indexes::vsGroup,
              Indexes.VS_BY_LISTENER, Indexes::vsListener,
              Indexes.VS_BY_SECRET, Indexes::vsSecrets);
    else if (type == Pool.class)
      map =
          Map.<String, Function<Pool, List<String>>>of(
              Indexes.POOL_BY_PROFILE, Indexes::poolProfile,
              Indexes.POOL_BY_SERVICE, Indexes::poolService);
    else if (type == DataScript.class)
      map =
          Map.<String, Function<DataScript, List<String>>>of(
              Indexes.DATASCRIPT_BY_POOL, Indexes::dataScriptPools,
              Indexes.DATASCRIPT_BY_SECRET, Indexes::dataScriptSecrets);
    else if (type == EndpointSlice.class)
      map =
          Map.<String, Function<EndpointSlice, List<String>>>of(
              CachedNamespaceView.SLICE_BY_SERVICE, CachedNamespaceView::sliceService,
              CachedNamespaceView.SLICE_BY_POD, CachedNamespaceView::slicePods);
    else if (type == Pod.class)
      map =
          Map.<String, Function<Pod, List<String>>>of(
              Indexes.POD_BY_GROUP, SharedInformers::podGroup);
    else if (type == PersistenceProfile.class || type == Service.class || type == Secret.class)
      map = Map.of();
    else throw new IllegalArgumentException("no shared informer for " + type.getName());
    return (Map<String, Function<R, List<String>>>) map;
  }

  /** Indexes data-plane pods by {@code <namespace>/<group>}; other pods have no key. */
  public static List<String> podGroup(Pod pod) {
    return DataPlanePods.group(pod).map(g -> List.of(Indexes.key(pod, g))).orElse(List.of());
  }

  /**
   * One kind's informers and their indexes. Reads before the first user started them, or after the
   * last one left, find nothing.
   */
  public final class Kind<R extends HasMetadata> implements IndexedResourceCache<R> {
    private final Class<R> type;
    private final Map<String, Function<R, List<String>>> indexers;
    private volatile Map<String, SharedIndexInformer<R>> informers = Map.of();
    private int users;

    private Kind(Class<R> type, Map<String, Function<R, List<String>>> indexers) {
      this.type = type;
      this.indexers = indexers;
    }

    public Class<R> type() {
      return type;
    }

    /**
     * Starts the informers for a new user (once for all users); returns when they have listed.
     * {@code handler} is told of every object cached so far and of every change after.
     */
    public void acquire(ResourceEventHandler<R> handler) {
      CompletableFuture<?> listed;
      synchronized (this) {
        if (users++ == 0) informers = start();
        informers.values().forEach(i -> i.addEventHandler(handler));
        listed =
            CompletableFuture.allOf(
                informers.values().stream()
                    .map(i -> i.start().toCompletableFuture())
                    .toArray(CompletableFuture[]::new));
      }
      try {
        listed.get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        throw new IllegalStateException(
            "the shared informer of "
                + type.getSimpleName()
                + " did not list within "
                + syncTimeout
                + " (is the CRD installed, may the operator list and watch it?)",
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while " + type.getSimpleName() + " lists", e);
      }
    }

    /** A user leaves; the last one closes the informers. */
    public synchronized void release(ResourceEventHandler<R> handler) {
      informers.values().forEach(i -> i.removeEventHandler(handler));
      if (--users == 0) {
        informers.values().forEach(SharedIndexInformer::close);
        informers = Map.of();
      }
    }

    private Map<String, SharedIndexInformer<R>> start() {
      Map<String, SharedIndexInformer<R>> started = new HashMap<>();
      for (String namespace : namespaces.isEmpty() ? Set.of("") : namespaces) {
        var resources = client.resources(type);
        var listed =
            namespace.isEmpty() ? resources.inAnyNamespace() : resources.inNamespace(namespace);
        SharedIndexInformer<R> informer =
            type == Secret.class
                ? listed.withLabel(CRYPTO_KEY_LABEL, "true").runnableInformer(0)
                : listed.runnableInformer(0);
        if (!indexers.isEmpty()) informer.addIndexers(indexers);
        stopped.ifPresent(
            handler ->
                informer.stopped().whenComplete((done, error) -> handler.onStop(informer, error)));
        started.put(namespace, informer);
      }
      return started;
    }

    private int runningInformers() {
      return (int) informers.values().stream().filter(SharedIndexInformer::isRunning).count();
    }

    /** Whether every informer has listed and watches. */
    public boolean healthy() {
      var now = informers;
      return !now.isEmpty() && now.values().stream().allMatch(i -> i.hasSynced() && i.isWatching());
    }

    public boolean synced() {
      var now = informers;
      return !now.isEmpty() && now.values().stream().allMatch(SharedIndexInformer::hasSynced);
    }

    private Stream<SharedIndexInformer<R>> all() {
      return informers.values().stream();
    }

    @Override
    public List<R> byIndex(String index, String key) {
      var now = informers;
      if (now.size() == 1) return now.values().iterator().next().getIndexer().byIndex(index, key);
      List<R> found = new ArrayList<>();
      for (var informer : now.values()) found.addAll(informer.getIndexer().byIndex(index, key));
      return found;
    }

    @Override
    public Optional<R> get(ResourceID id) {
      var now = informers;
      String namespace = id.getNamespace().orElse("");
      var informer = now.containsKey("") ? now.get("") : now.get(namespace);
      if (informer == null) return Optional.empty();
      String key = namespace.isEmpty() ? id.getName() : namespace + "/" + id.getName();
      return Optional.ofNullable(informer.getStore().getByKey(key));
    }

    @Override
    public Stream<ResourceID> keys() {
      return all().flatMap(i -> i.getStore().list().stream()).map(ResourceID::fromResource);
    }

    @Override
    public Stream<R> list(Predicate<R> predicate) {
      return all().flatMap(i -> i.getStore().list().stream()).filter(predicate);
    }

    @Override
    public Stream<R> list(String namespace, Predicate<R> predicate) {
      return list(r -> namespace.equals(r.getMetadata().getNamespace()) && predicate.test(r));
    }
  }
}
