package dev.limpet.operator.reconciler;

import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.PoolStatus;
import dev.limpet.operator.event.EventRecorder;
import dev.limpet.operator.index.CachedNamespaceView;
import dev.limpet.operator.index.Indexes;
import dev.limpet.operator.status.Conditions;
import dev.limpet.operator.validation.PoolResolution;
import dev.limpet.operator.validation.References;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Resolves a Pool's profile and Service endpoints, and reports its servers up/total. */
@ControllerConfiguration(name = "pool")
public final class PoolReconciler implements Reconciler<Pool> {
  private final EventRecorder events;
  private final Clock clock;

  public PoolReconciler(EventRecorder events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, Pool>> prepareEventSources(EventSourceContext<Pool> context) {
    IndexerResourceCache<Pool> pools = context.getPrimaryCache();
    pools.addIndexers(
        Map.of(
            Indexes.POOL_BY_PROFILE, Indexes::poolProfile,
            Indexes.POOL_BY_SERVICE, Indexes::poolService));
    var profiles =
        Watches.informer(
            PersistenceProfile.class, context, p -> Watches.ids(pools, Indexes.POOL_BY_PROFILE, p));
    var services =
        Watches.informer(
            Service.class, context, s -> Watches.ids(pools, Indexes.POOL_BY_SERVICE, s));
    var slices =
        Watches.informer(
            EndpointSlice.class,
            context,
            slice ->
                Watches.ids(
                    pools, Indexes.POOL_BY_SERVICE, CachedNamespaceView.sliceService(slice)));
    slices.addIndexers(
        Map.of(CachedNamespaceView.SLICE_BY_SERVICE, CachedNamespaceView::sliceService));
    return List.of(profiles, services, slices);
  }

  @Override
  public UpdateControl<Pool> reconcile(Pool pool, Context<Pool> context) {
    var view = new CachedNamespaceView(context, pool.getMetadata().getNamespace());
    PoolResolution resolution = References.pool(pool, view);
    var status = pool.getStatus();
    Long generation = pool.getMetadata().getGeneration();
    Conditions conditions =
        Conditions.from(status == null ? null : status.conditions(), generation, clock.instant())
            .accepted(resolution.problems())
            .resolvedRefs(resolution.references());
    events.transitions(pool, conditions.changes());
    return StatusPatch.of(
        pool,
        new PoolStatus(
            generation,
            conditions.toList(),
            resolution.serversUp(),
            resolution.serversTotal(),
            resolution.serversUp() + "/" + resolution.serversTotal()),
        Pool::new);
  }
}
