package dev.limpet.operator.index;

import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Informers on VirtualServices, Pools and DataScripts with the indexes {@link ReferenceUsers}
 * reads, for the admission webhook. They run on every replica, leader or not, since the API server
 * may send a review to any of them.
 */
public final class ReferenceInformers implements ReferenceUsers.Lookup, AutoCloseable {
  private final List<SharedIndexInformer<VirtualService>> services = new ArrayList<>();
  private final List<SharedIndexInformer<Pool>> pools = new ArrayList<>();
  private final List<SharedIndexInformer<DataScript>> scripts = new ArrayList<>();

  /**
   * @param namespaces the watched namespaces; empty: all
   */
  public ReferenceInformers(KubernetesClient client, Set<String> namespaces) {
    for (String namespace : namespaces.isEmpty() ? Set.<String>of("") : namespaces) {
      services.add(
          informer(
              client,
              VirtualService.class,
              namespace,
              Map.of(
                  Indexes.VS_BY_POOL, Indexes::vsPool,
                  Indexes.VS_BY_DATASCRIPT, Indexes::vsDataScripts)));
      pools.add(
          informer(
              client,
              Pool.class,
              namespace,
              Map.of(Indexes.POOL_BY_PROFILE, Indexes::poolProfile)));
      scripts.add(
          informer(
              client,
              DataScript.class,
              namespace,
              Map.of(Indexes.DATASCRIPT_BY_POOL, Indexes::dataScriptPools)));
    }
  }

  /** Starts every informer; completes when all have listed once. */
  public CompletableFuture<Void> start() {
    List<CompletableFuture<?>> started = new ArrayList<>();
    for (var list : List.of(services, pools, scripts))
      for (var informer : list) started.add(informer.start().toCompletableFuture());
    return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
  }

  public boolean synced() {
    return List.of(services, pools, scripts).stream()
        .flatMap(List::stream)
        .allMatch(SharedIndexInformer::hasSynced);
  }

  @Override
  public List<VirtualService> virtualServices(String index, String key) {
    return byIndex(services, index, key);
  }

  @Override
  public List<Pool> pools(String index, String key) {
    return byIndex(pools, index, key);
  }

  @Override
  public List<DataScript> dataScripts(String index, String key) {
    return byIndex(scripts, index, key);
  }

  private static <R> List<R> byIndex(
      List<SharedIndexInformer<R>> informers, String index, String key) {
    List<R> found = new ArrayList<>();
    for (var informer : informers) found.addAll(informer.getIndexer().byIndex(index, key));
    return found;
  }

  private static <R extends HasMetadata> SharedIndexInformer<R> informer(
      KubernetesClient client,
      Class<R> type,
      String namespace,
      Map<String, Function<R, List<String>>> indexers) {
    var resources = client.resources(type);
    SharedIndexInformer<R> informer =
        namespace.isEmpty()
            ? resources.inAnyNamespace().runnableInformer(0)
            : resources.inNamespace(namespace).runnableInformer(0);
    informer.addIndexers(indexers);
    return informer;
  }

  @Override
  public void close() {
    List.of(services, pools, scripts).forEach(list -> list.forEach(SharedIndexInformer::close));
  }
}
