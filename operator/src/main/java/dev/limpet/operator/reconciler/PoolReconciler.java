package dev.limpet.operator.reconciler;

import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.PoolStatus;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.decode.SpecProblems;
import dev.limpet.operator.event.EventRecorder;
import dev.limpet.operator.index.CachedNamespaceView;
import dev.limpet.operator.index.Indexes;
import dev.limpet.operator.index.NamespaceView;
import dev.limpet.operator.index.ReferenceUsers;
import dev.limpet.operator.index.SharedEventSource;
import dev.limpet.operator.index.SharedInformers;
import dev.limpet.operator.status.ConditionType;
import dev.limpet.operator.status.Conditions;
import dev.limpet.operator.status.Reason;
import dev.limpet.operator.validation.PoolResolution;
import dev.limpet.operator.validation.References;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Resolves a Pool's profile and Service endpoints, and reports its servers up/total. Its deletion
 * waits while a VirtualService uses it, directly or through a DataScript.
 */
@ControllerConfiguration(name = "pool")
public final class PoolReconciler implements Reconciler<Pool>, Cleaner<Pool> {
  private final EventRecorder events;
  private final SpecProblems unreadable;
  private final Clock clock;
  private final SystemProfiles.Created systemProfiles;
  private final SharedInformers shared;
  private ReferenceUsers.Lookup users;

  public PoolReconciler(
      SharedInformers shared, SpecProblems unreadable, EventRecorder events, Clock clock) {
    this.shared = shared;
    this.events = events;
    this.unreadable = unreadable;
    this.clock = clock;
    this.systemProfiles = new SystemProfiles.Created(clock);
  }

  @Override
  public List<EventSource<?, Pool>> prepareEventSources(EventSourceContext<Pool> context) {
    // the Pools' one informer, indexed, for every user of the kind
    var primary = shared.kind(Pool.class).fromPrimary(context);
    IndexerResourceCache<Pool> pools = context.getPrimaryCache();
    SharedEventSource<PersistenceProfile, Pool> profiles =
        Watches.specInformer(
            shared,
            PersistenceProfile.class,
            p -> {
              if (SystemProfiles.isSystem(p.getMetadata().getLabels())) systemProfiles.seen(p);
              return profileConcerns(pools, p);
            });
    SharedEventSource<Service, Pool> services =
        Watches.informer(
            shared, Service.class, s -> Watches.ids(pools, Indexes.POOL_BY_SERVICE, s));
    SharedEventSource<EndpointSlice, Pool> slices =
        Watches.informer(
            shared,
            EndpointSlice.class,
            slice ->
                Watches.ids(
                    pools, Indexes.POOL_BY_SERVICE, CachedNamespaceView.sliceService(slice)));
    // headerValueFrom PodLabel reads the labels of the endpoints' pods
    SharedEventSource<Pod, Pool> pods =
        Watches.informer(
            shared, Pod.class, pod -> Watches.ids(Watches.podLabelPools(pod, slices, pools)));
    SharedEventSource<VirtualService, Pool> virtualServices =
        Watches.informer(shared, VirtualService.class, DeletionGuard.heldIn(pools));
    SharedEventSource<DataScript, Pool> scripts =
        Watches.informer(shared, DataScript.class, DeletionGuard.heldIn(pools));
    users = ReferenceUsers.over(virtualServices, pools, scripts);
    return List.of(primary, profiles, services, slices, pods, virtualServices, scripts);
  }

  @Override
  public DeleteControl cleanup(Pool pool, Context<Pool> context) {
    var s = pool.getStatus();
    return DeletionGuard.cleanup(
        pool,
        context,
        shared,
        users,
        s == null ? null : s.conditions(),
        conditions ->
            s == null
                ? new PoolStatus(pool.getMetadata().getGeneration(), conditions, null, null, null)
                : new PoolStatus(
                    s.observedGeneration(),
                    conditions,
                    s.serversUp(),
                    s.serversTotal(),
                    s.servers()),
        events,
        clock);
  }

  /**
   * The Pools that use a profile; for a system profile also one Pool of its namespace, whose
   * reconcile creates the profile again if it was deleted.
   */
  private static Set<ResourceID> profileConcerns(
      IndexerResourceCache<Pool> pools, PersistenceProfile profile) {
    Set<ResourceID> ids = new HashSet<>(Watches.ids(pools, Indexes.POOL_BY_PROFILE, profile));
    if (SystemProfiles.isSystem(profile.getMetadata().getLabels()))
      pools.byIndex(Indexes.BY_NAMESPACE, profile.getMetadata().getNamespace()).stream()
          .findFirst()
          .ifPresent(p -> ids.add(ResourceID.fromResource(p)));
    return ids;
  }

  /** A pool that resolves but has nothing to send traffic to says so, and what to check. */
  private static void serversAvailable(
      Pool pool, PoolResolution resolution, NamespaceView view, Conditions conditions) {
    if (resolution.serversUp() > 0) {
      conditions.set(
          ConditionType.ServersAvailable,
          true,
          Reason.SERVERS_UP,
          resolution.serversUp()
              + " of "
              + resolution.serversTotal()
              + " servers can take new clients.");
      return;
    }
    var service = pool.getSpec() == null ? null : pool.getSpec().service();
    String why =
        service == null
            ? "No enabled server: every request to this pool gets 503. Enable a server in spec.servers."
            : view.service(service.name()).isEmpty()
                ? "Service '"
                    + service.name()
                    + "' does not exist in this namespace and no static server is enabled: every"
                    + " request to this pool gets 503. Create the Service or fix spec.service.name."
                : "Service '"
                    + service.name()
                    + "' has no ready endpoint on its port '"
                    + service.port().getValue()
                    + "' and no static server is enabled: every request to this pool gets 503."
                    + " Check that the Service's pods are running and pass their readiness probes.";
    conditions.set(ConditionType.ServersAvailable, false, Reason.NO_READY_ENDPOINTS, why);
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
    serversAvailable(pool, resolution, view, conditions);
    unreadable.of(pool).ifPresent(conditions::unreadable);
    if (Watches.stopped(context, shared)) return UpdateControl.noUpdate();
    systemProfiles.ensure(context.getClient(), pool.getMetadata().getNamespace(), view);
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
