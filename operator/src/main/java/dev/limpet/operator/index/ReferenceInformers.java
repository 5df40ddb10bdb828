package dev.limpet.operator.index;

import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The webhook's reads of VirtualServices, Pools and DataScripts with the indexes {@link
 * ReferenceUsers} reads: the {@link SharedInformers shared informers} the controllers watch too.
 * The webhook holds them from {@link #start()} to {@link #close()}, on every replica, leader or
 * not, since the API server may send a review to any of them.
 */
public final class ReferenceInformers implements AutoCloseable {
  private final SharedInformers.Kind<VirtualService> services;
  private final SharedInformers.Kind<Pool> pools;
  private final SharedInformers.Kind<DataScript> scripts;
  private final List<Held<?>> held;
  private final ReferenceUsers.Lookup lookup;
  private volatile CompletableFuture<Void> started;

  /** Over informers of their own (a webhook without an operator in the process). */
  public ReferenceInformers(KubernetesClient client, Set<String> namespaces) {
    this(new SharedInformers(client, namespaces));
  }

  public ReferenceInformers(SharedInformers shared) {
    services = shared.kind(VirtualService.class);
    pools = shared.kind(Pool.class);
    scripts = shared.kind(DataScript.class);
    held = List.of(new Held<>(services), new Held<>(pools), new Held<>(scripts));
    lookup = ReferenceUsers.over(services, pools, scripts);
  }

  /** The users of an object, read from these informers' caches. */
  public ReferenceUsers.Lookup lookup() {
    return lookup;
  }

  /** Starts (or joins) every informer; completes when all have listed once. */
  public synchronized CompletableFuture<Void> start() {
    if (started == null) started = CompletableFuture.runAsync(() -> held.forEach(Held::acquire));
    return started;
  }

  public boolean synced() {
    return services.synced() && pools.synced() && scripts.synced();
  }

  @Override
  public synchronized void close() {
    if (started == null) return;
    started.exceptionally(e -> null).join();
    held.forEach(Held::release);
    started = null;
  }

  /** The webhook's hold on one kind: it reads the cache, it needs no events. */
  private static final class Held<R extends HasMetadata> implements ResourceEventHandler<R> {
    private final SharedInformers.Kind<R> kind;
    private boolean acquired;

    Held(SharedInformers.Kind<R> kind) {
      this.kind = kind;
    }

    synchronized void acquire() {
      // before the call: an acquire that fails (a list that times out) still holds the kind
      acquired = true;
      kind.acquire(this);
    }

    synchronized void release() {
      if (acquired) kind.release(this);
      acquired = false;
    }

    @Override
    public void onAdd(R resource) {}

    @Override
    public void onUpdate(R previous, R next) {}

    @Override
    public void onDelete(R resource, boolean finalStateUnknown) {}
  }
}
