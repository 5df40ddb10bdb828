package dev.limpet.operator.index;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.EventSourceStartPriority;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import io.javaoperatorsdk.operator.processing.event.source.informer.ManagedInformerEventSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a controller's primary informer the {@link SharedInformers shared informer} of its kind.
 * Registered as an event source of that controller, it hears every change the primary informer
 * sees: JOSDK's ControllerEventSource hands each one to the controller's {@link ResourceEventAware}
 * event sources before its own filters (generation, finalizer) judge it. It passes them to the
 * kind's users and holds no secondary resources itself (its resource type is {@link Void}, so no
 * lookup by kind finds it).
 *
 * <p>JOSDK starts a controller's primary informer and waits for its first list before it starts the
 * other event sources: this one's start says the primary cache is complete; its stop, that the
 * controller stopped it.
 *
 * <p>Single-use: it serves one start and one stop of its controller, as the operator runs (a
 * stopped operator is never started again: the process exits). JOSDK would start a restarted
 * primary informer on a new, empty cache, and the users that stayed would miss what was deleted
 * meanwhile, so a second start is refused rather than half served.
 */
final class PrimaryRelay<R extends HasMetadata> extends AbstractEventSource<Void, R>
    implements ResourceEventAware<R> {
  private static final Logger LOG = LoggerFactory.getLogger(PrimaryRelay.class);

  private final Class<R> type;
  private final ManagedInformerEventSource<R, R, ?> informer;
  private final List<ResourceEventHandler<R>> handlers = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> listed = new CompletableFuture<>();
  private volatile boolean stopped;

  /**
   * @param primary the controller's primary cache ({@code EventSourceContext.getPrimaryCache()})
   */
  PrimaryRelay(Class<R> type, IndexerResourceCache<R> primary) {
    super(Void.class, "shared" + type.getSimpleName() + "Primary");
    if (!(primary instanceof ManagedInformerEventSource<?, ?, ?>))
      throw new IllegalArgumentException(
          "the primary cache of "
              + type.getSimpleName()
              + " is no JOSDK informer event source: "
              + primary.getClass().getName());
    @SuppressWarnings("unchecked")
    var informer = (ManagedInformerEventSource<R, R, ?>) primary;
    this.type = type;
    this.informer = informer;
    // started with the first sources after the primary informer listed, before any that waits
    setEventSourcePriority(EventSourceStartPriority.RESOURCE_STATE_LOADER);
  }

  IndexerResourceCache<R> cache() {
    return informer;
  }

  /**
   * Whether the primary cache may be read: the primary informer has listed and runs. JOSDK marks it
   * stopped before it empties its cache, and stops this relay only after that.
   */
  boolean readable() {
    return informer.isRunning();
  }

  /** Whether the controller started the primary informer and has stopped it since. */
  boolean stoppedAfterStart() {
    return listed.isDone() && !listed.isCompletedExceptionally() && !informer.isRunning();
  }

  /**
   * Completes when the controller has started the primary informer and it has listed; fails once
   * the controller stopped it.
   */
  CompletableFuture<Void> listed() {
    return stopped ? CompletableFuture.failedFuture(stoppedError()) : listed;
  }

  /** {@code handler} hears every change from now on; {@link #replay} tells it the cache so far. */
  void add(ResourceEventHandler<R> handler) {
    handlers.add(handler);
  }

  void remove(ResourceEventHandler<R> handler) {
    handlers.remove(handler);
  }

  /**
   * Tells {@code handler} of every object cached, as fabric8 does for a handler added to a running
   * informer. Called after {@link #add}: a change meanwhile may reach it twice, none is missed.
   */
  void replay(ResourceEventHandler<R> handler) {
    if (isRunning()) informer.list(r -> true).forEach(r -> tell(handler, h -> h.onAdd(r)));
  }

  @Override
  public synchronized void start() {
    if (stopped)
      throw new IllegalStateException(
          "the shared "
              + type.getSimpleName()
              + " informer serves one run of its controller: a stopped operator is not started"
              + " again, a new one is created");
    super.start();
    listed.complete(null);
  }

  @Override
  public synchronized void stop() {
    super.stop();
    stopped = true;
    listed.completeExceptionally(stoppedError());
  }

  private IllegalStateException stoppedError() {
    return new IllegalStateException(
        "the controller of " + type.getSimpleName() + " stopped its primary informer");
  }

  /** The primary informers JOSDK runs for the kind (one per watched namespace, or one for all). */
  int runningInformers() {
    if (!readable()) return 0;
    return (int)
        informer.informerHealthIndicators().values().stream()
            .filter(InformerHealthIndicator::isRunning)
            .count();
  }

  boolean synced() {
    return readable()
        && informer.informerHealthIndicators().values().stream()
            .allMatch(InformerHealthIndicator::hasSynced);
  }

  boolean healthy() {
    return readable()
        && informer.informerHealthIndicators().values().stream()
            .allMatch(i -> i.hasSynced() && i.isWatching());
  }

  @Override
  public void onResourceCreated(R resource) {
    relay(h -> h.onAdd(resource));
  }

  @Override
  public void onResourceUpdated(R next, R previous) {
    relay(h -> h.onUpdate(previous, next));
  }

  @Override
  public void onResourceDeleted(R resource) {
    relay(h -> h.onDelete(resource, false));
  }

  private void relay(Consumer<ResourceEventHandler<R>> event) {
    if (!isRunning()) return; // the first list: users are told of it by replay
    for (var handler : handlers) tell(handler, event);
  }

  /**
   * A failing user must neither stop the others nor the controller's own handling of the event,
   * which JOSDK runs after this on the same thread: logged, as fabric8 logs a failing handler.
   */
  private void tell(ResourceEventHandler<R> handler, Consumer<ResourceEventHandler<R>> event) {
    try {
      event.accept(handler);
    } catch (RuntimeException e) {
      LOG.error("a user of the shared {} informer failed on an event", type.getSimpleName(), e);
    }
  }

  @Override
  public Set<Void> getSecondaryResources(R primary) {
    return Set.of();
  }
}
