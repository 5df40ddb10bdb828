package dev.limpet.operator.index;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A controller's event source over a kind's {@link SharedInformers shared informer}: what JOSDK's
 * InformerEventSource does for a secondary kind (map each change to the primaries it concerns, read
 * the cache) without an informer of its own. JOSDK 5's InformerEventSource always builds its own
 * informers, so each controller watching a kind cached and decoded it once more.
 */
public final class SharedEventSource<R extends HasMetadata, P extends HasMetadata>
    extends AbstractEventSource<R, P> implements ResourceEventHandler<R>, IndexedResourceCache<R> {
  private final SharedInformers.Kind<R> kind;
  private final SecondaryToPrimaryMapper<R> mapper;
  private final OnUpdateFilter<R> updates;

  /**
   * @param updates which updates (next, previous) are propagated
   */
  public SharedEventSource(
      SharedInformers.Kind<R> kind,
      String name,
      SecondaryToPrimaryMapper<R> mapper,
      OnUpdateFilter<R> updates) {
    super(kind.type(), name);
    this.kind = kind;
    this.mapper = mapper;
    this.updates = updates;
  }

  public SharedEventSource(
      SharedInformers.Kind<R> kind, String name, SecondaryToPrimaryMapper<R> mapper) {
    this(kind, name, mapper, (next, previous) -> true);
  }

  @Override
  public void start() {
    // running before the first events: mappers read the caches of their sources once started
    super.start();
    kind.acquire(this);
  }

  @Override
  public void stop() {
    if (!isRunning()) return;
    super.stop();
    kind.release(this);
  }

  @Override
  public Status getStatus() {
    return kind.healthy() ? Status.HEALTHY : Status.UNHEALTHY;
  }

  @Override
  public void onAdd(R resource) {
    propagate(resource);
  }

  @Override
  public void onUpdate(R previous, R next) {
    if (updates.accept(next, previous)) propagate(next);
  }

  @Override
  public void onDelete(R resource, boolean finalStateUnknown) {
    propagate(resource);
  }

  private void propagate(R resource) {
    if (!isRunning()) return;
    for (ResourceID id : mapper.toPrimaryResourceIDs(resource))
      getEventHandler().handleEvent(new Event(id));
  }

  @Override
  public Set<R> getSecondaryResources(P primary) {
    throw new UnsupportedOperationException(
        "read " + name() + " by index or name: it maps no primary to its secondaries");
  }

  @Override
  public List<R> byIndex(String index, String key) {
    return kind.byIndex(index, key);
  }

  @Override
  public Optional<R> get(ResourceID id) {
    return kind.get(id);
  }

  @Override
  public Stream<ResourceID> keys() {
    return kind.keys();
  }

  @Override
  public Stream<R> list(Predicate<R> predicate) {
    return kind.list(predicate);
  }

  @Override
  public Stream<R> list(String namespace, Predicate<R> predicate) {
    return kind.list(namespace, predicate);
  }
}
