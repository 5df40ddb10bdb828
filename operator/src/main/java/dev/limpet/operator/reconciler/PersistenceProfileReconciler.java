package dev.limpet.operator.reconciler;

import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.PersistenceProfileStatus;
import dev.limpet.operator.event.EventRecorder;
import dev.limpet.operator.status.Conditions;
import dev.limpet.operator.status.ReferenceCheck;
import dev.limpet.operator.validation.SpecValidator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.util.List;

/** Reports whether a PersistenceProfile is valid. It names nothing, so it resolves trivially. */
@ControllerConfiguration(name = "persistenceprofile")
public final class PersistenceProfileReconciler implements Reconciler<PersistenceProfile> {
  private final EventRecorder events;
  private final Clock clock;

  public PersistenceProfileReconciler(EventRecorder events, Clock clock) {
    this.events = events;
    this.clock = clock;
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
    events.transitions(profile, conditions.changes());
    return StatusPatch.of(
        profile,
        new PersistenceProfileStatus(profile.getMetadata().getGeneration(), conditions.toList()),
        PersistenceProfile::new);
  }
}
