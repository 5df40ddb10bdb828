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
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
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
 * (through {@link SharedEventSource}) and the webhook. For a kind that a controller of the process
 * reconciles, that one informer is the controller's primary informer: the controller hands it over
 * with {@link Kind#fromPrimary} before it starts, JOSDK starts and stops it with the controller,
 * and the kind's users hear its changes through the controller. Any other kind's informer starts
 * with its first user and closes with its last, so every controller stopping (or the webhook
 * closing) stops its watch.
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

  /**
   * Whether the controller of some custom-resource kind has stopped its primary informer: that
   * kind's cache is then empty (or being emptied) for every user, so what a reconcile of any
   * controller read from it may be an empty world. Each kind's cache lives only as long as its own
   * controller, and the controllers stop one by one.
   */
  public synchronized boolean anyPrimaryStopped() {
    return kinds.values().stream().anyMatch(Kind::primaryStopped);
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
              Indexes.POOL_BY_SERVICE, Indexes::poolService,
              Indexes.HELD, Indexes::held,
              Indexes.BY_NAMESPACE, Indexes::namespace);
    else if (type == DataScript.class)
      map =
          Map.<String, Function<DataScript, List<String>>>of(
              Indexes.DATASCRIPT_BY_POOL, Indexes::dataScriptPools,
              Indexes.DATASCRIPT_BY_SECRET, Indexes::dataScriptSecrets,
              Indexes.HELD, Indexes::held);
    else if (type == EndpointSlice.class)
      map =
          Map.<String, Function<EndpointSlice, List<String>>>of(
              CachedNamespaceView.SLICE_BY_SERVICE, CachedNamespaceView::sliceService,
              CachedNamespaceView.SLICE_BY_POD, CachedNamespaceView::slicePods);
    else if (type == Pod.class)
      map =
          Map.<String, Function<Pod, List<String>>>of(
              Indexes.POD_BY_GROUP, SharedInformers::podGroup);
    else if (type == PersistenceProfile.class)
      map = Map.<String, Function<PersistenceProfile, List<String>>>of(Indexes.HELD, Indexes::held);
    else if (type == Service.class || type == Secret.class) map = Map.of();
    else throw new IllegalArgumentException("no shared informer for " + type.getName());
    return (Map<String, Function<R, List<String>>>) map;
  }

  /** Indexes data-plane pods by {@code <namespace>/<group>}; other pods have no key. */
  public static List<String> podGroup(Pod pod) {
    return DataPlanePods.group(pod).map(g -> List.of(Indexes.key(pod, g))).orElse(List.of());
  }

  /**
   * One kind's informers and their indexes: its own, or the primary informer of the kind's
   * controller ({@link #fromPrimary}). Reads find nothing before the first user starts the kind's
   * own informers or before the controller's primary one has listed, and nothing after they stop.
   */
  public final class Kind<R extends HasMetadata> implements IndexedResourceCache<R> {
    private final Class<R> type;
    private final Map<String, Function<R, List<String>>> indexers;
    private volatile Map<String, SharedIndexInformer<R>> informers = Map.of();
    private volatile PrimaryRelay<R> primary;
    private int users;

    private Kind(Class<R> type, Map<String, Function<R, List<String>>> indexers) {
      this.type = type;
      this.indexers = indexers;
    }

    public Class<R> type() {
      return type;
    }

    /**
     * Makes the primary informer of the controller preparing {@code context} this kind's one
     * informer: registers the kind's indexers on it and returns the event source, to be registered
     * with that controller, through which the kind's users hear its changes. Called from the
     * controller's {@code prepareEventSources}, before any user of the kind starts.
     */
    public synchronized EventSource<Void, R> fromPrimary(EventSourceContext<R> context) {
      if (primary != null)
        throw new IllegalStateException(
            "a second controller of " + type.getSimpleName() + " on the same shared informers");
      if (users > 0)
        throw new IllegalStateException(
            "the shared informer of "
                + type.getSimpleName()
                + " already runs for its users: register the operator's controllers before"
                + " starting the webhook");
      IndexerResourceCache<R> cache = context.getPrimaryCache();
      PrimaryRelay<R> relay = new PrimaryRelay<>(type, cache);
      if (!indexers.isEmpty()) cache.addIndexers(indexers);
      primary = relay;
      return relay;
    }

    /**
     * Starts the informers for a new user (once for all users), or waits for the controller to
     * start the primary one; returns when they have listed. {@code handler} is told of every object
     * cached so far and of every change after.
     */
    public void acquire(ResourceEventHandler<R> handler) {
      CompletableFuture<?> listed;
      PrimaryRelay<R> relay;
      synchronized (this) {
        users++;
        relay = primary;
        if (relay != null) {
          relay.add(handler);
          listed = relay.listed();
        } else {
          if (users == 1) informers = start();
          informers.values().forEach(i -> i.addEventHandler(handler));
          listed =
              CompletableFuture.allOf(
                  informers.values().stream()
                      .map(i -> i.start().toCompletableFuture())
                      .toArray(CompletableFuture[]::new));
        }
      }
      try {
        listed.get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new IllegalStateException(
            "the shared informer of "
                + type.getSimpleName()
                + (relay == null ? "" : " (its controller's primary informer)")
                + " did not list within "
                + syncTimeout
                + " (is the CRD installed, may the operator list and watch it?)",
            e);
      } catch (ExecutionException e) {
        throw new IllegalStateException(
            "the shared informer of "
                + type.getSimpleName()
                + (relay == null
                    ? " failed to list: "
                        + e.getCause().getMessage()
                        + " (is the CRD installed, may the operator list and watch it?)"
                    : " did not list: the controller stopped its primary informer first"),
            e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while " + type.getSimpleName() + " lists", e);
      }
      if (relay != null) relay.replay(handler);
    }

    /**
     * A user leaves; the last one closes the kind's own informers (a controller's primary informer
     * stops with the controller).
     */
    public synchronized void release(ResourceEventHandler<R> handler) {
      users--;
      if (primary != null) {
        primary.remove(handler);
        return;
      }
      informers.values().forEach(i -> i.removeEventHandler(handler));
      if (users == 0) {
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

    private boolean primaryStopped() {
      var relay = primary;
      return relay != null && relay.stoppedAfterStart();
    }

    private int runningInformers() {
      var relay = primary;
      if (relay != null) return relay.runningInformers();
      return (int) informers.values().stream().filter(SharedIndexInformer::isRunning).count();
    }

    /** Whether every informer has listed and watches. */
    public boolean healthy() {
      var relay = primary;
      if (relay != null) return relay.healthy();
      var now = informers;
      return !now.isEmpty() && now.values().stream().allMatch(i -> i.hasSynced() && i.isWatching());
    }

    public boolean synced() {
      var relay = primary;
      if (relay != null) return relay.synced();
      var now = informers;
      return !now.isEmpty() && now.values().stream().allMatch(SharedIndexInformer::hasSynced);
    }

    private Stream<SharedIndexInformer<R>> all() {
      return informers.values().stream();
    }

    @Override
    public List<R> byIndex(String index, String key) {
      var relay = primary;
      if (relay != null) return relay.readable() ? relay.cache().byIndex(index, key) : List.of();
      var now = informers;
      if (now.size() == 1) return now.values().iterator().next().getIndexer().byIndex(index, key);
      List<R> found = new ArrayList<>();
      for (var informer : now.values()) found.addAll(informer.getIndexer().byIndex(index, key));
      return found;
    }

    @Override
    public Optional<R> get(ResourceID id) {
      var relay = primary;
      if (relay != null) return relay.readable() ? relay.cache().get(id) : Optional.empty();
      var now = informers;
      String namespace = id.getNamespace().orElse("");
      var informer = now.containsKey("") ? now.get("") : now.get(namespace);
      if (informer == null) return Optional.empty();
      String key = namespace.isEmpty() ? id.getName() : namespace + "/" + id.getName();
      return Optional.ofNullable(informer.getStore().getByKey(key));
    }

    @Override
    public Stream<ResourceID> keys() {
      var relay = primary;
      if (relay != null) return relay.readable() ? relay.cache().keys() : Stream.of();
      return all().flatMap(i -> i.getStore().list().stream()).map(ResourceID::fromResource);
    }

    @Override
    public Stream<R> list(Predicate<R> predicate) {
      var relay = primary;
      if (relay != null) return relay.readable() ? relay.cache().list(predicate) : Stream.of();
      return all().flatMap(i -> i.getStore().list().stream()).filter(predicate);
    }

    @Override
    public Stream<R> list(String namespace, Predicate<R> predicate) {
      return list(r -> namespace.equals(r.getMetadata().getNamespace()) && predicate.test(r));
    }
  }
}
