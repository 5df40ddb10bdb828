package dev.limpet.operator.reconciler;

import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.PersistenceProfileStatus;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.decode.SpecProblems;
import dev.limpet.operator.event.EventRecorder;
import dev.limpet.operator.index.ReferenceUsers;
import dev.limpet.operator.index.SharedEventSource;
import dev.limpet.operator.index.SharedInformers;
import dev.limpet.operator.status.Conditions;
import dev.limpet.operator.status.ReferenceCheck;
import dev.limpet.operator.validation.SpecValidator;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Clock;
import java.util.List;

/**
 * Reports whether a PersistenceProfile is valid. It names nothing, so it resolves trivially. Its
 * deletion waits while a VirtualService uses it through a Pool.
 */
@ControllerConfiguration(name = "persistenceprofile")
public final class PersistenceProfileReconciler
    implements Reconciler<PersistenceProfile>, Cleaner<PersistenceProfile> {
  private final EventRecorder events;
  private final SpecProblems unreadable;
  private final Clock clock;
  private final SharedInformers shared;
  private ReferenceUsers.Lookup users;

  public PersistenceProfileReconciler(
      SharedInformers shared, SpecProblems unreadable, EventRecorder events, Clock clock) {
    this.shared = shared;
    this.events = events;
    this.unreadable = unreadable;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, PersistenceProfile>> prepareEventSources(
      EventSourceContext<PersistenceProfile> context) {
    // the profiles' one informer, indexed, for every user of the kind
    var primary = shared.kind(PersistenceProfile.class).fromPrimary(context);
    IndexerResourceCache<PersistenceProfile> profiles = context.getPrimaryCache();
    SharedEventSource<VirtualService, PersistenceProfile> services =
        Watches.informer(shared, VirtualService.class, DeletionGuard.heldIn(profiles));
    SharedEventSource<Pool, PersistenceProfile> pools =
        Watches.informer(shared, Pool.class, DeletionGuard.heldIn(profiles));
    SharedEventSource<DataScript, PersistenceProfile> scripts =
        Watches.informer(shared, DataScript.class, DeletionGuard.heldIn(profiles));
    users = ReferenceUsers.over(services, pools, scripts);
    return List.of(primary, services, pools, scripts);
  }

  @Override
  public DeleteControl cleanup(PersistenceProfile profile, Context<PersistenceProfile> context) {
    var status = profile.getStatus();
    return DeletionGuard.cleanup(
        profile,
        context,
        shared,
        users,
        status == null ? null : status.conditions(),
        conditions ->
            new PersistenceProfileStatus(profile.getMetadata().getGeneration(), conditions),
        events,
        clock);
  }

  @Override
  public UpdateControl<PersistenceProfile> reconcile(
      PersistenceProfile profile, Context<PersistenceProfile> context) {
    List<String> problems = SpecValidator.profile(profile);
    var status = profile.getStatus();
    Conditions conditions =
        Conditions.from(
                status == null ? null : status.conditions(),
                profile.getMetadata().getGeneration(),
                clock.instant())
            .accepted(problems)
            .resolvedRefs(new ReferenceCheck(List.of(), List.of()));
    unreadable.of(profile).ifPresent(conditions::unreadable);
    if (Watches.stopped(context, shared)) return UpdateControl.noUpdate();
    events.transitions(profile, conditions.changes());
    return StatusPatch.of(
        profile,
        new PersistenceProfileStatus(profile.getMetadata().getGeneration(), conditions.toList()),
        PersistenceProfile::new);
  }
}
