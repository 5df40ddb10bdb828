package dev.limpet.operator.reconciler;

import dev.limpet.operator.event.EventRecorder;
import dev.limpet.operator.index.Indexes;
import dev.limpet.operator.index.ReferenceUsers;
import dev.limpet.operator.index.SharedInformers;
import dev.limpet.operator.status.ConditionType;
import dev.limpet.operator.status.Conditions;
import dev.limpet.operator.status.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.function.Function;

/**
 * The finalizer path of referential integrity, for clusters without the webhook: the deletion of a
 * PersistenceProfile, Pool or DataScript that VirtualServices use waits, with a {@code Deletable}
 * condition (reason InUse) naming them, until none does. Any change of a VirtualService, Pool or
 * DataScript in the namespace rechecks the waiting objects there.
 */
final class DeletionGuard {
  /** A recheck even without an event, in case one was missed. */
  static final Duration RECHECK = Duration.ofSeconds(30);

  private DeletionGuard() {}

  /** Maps any object to the waiting deletions of its namespace ({@link Indexes#HELD}). */
  static <R extends HasMetadata, P extends HasMetadata> SecondaryToPrimaryMapper<R> heldIn(
      IndexedResourceCache<P> primaries) {
    return r -> Watches.ids(primaries.byIndex(Indexes.HELD, r.getMetadata().getNamespace()));
  }

  /**
   * The cleanup of a guarded object: let it go when unused, else keep the finalizer and say why.
   *
   * @param status the object's status with these conditions (other fields kept)
   */
  static <S, R extends CustomResource<?, S>> DeleteControl cleanup(
      R resource,
      Context<R> context,
      SharedInformers shared,
      ReferenceUsers.Lookup lookup,
      List<Condition> previous,
      Function<List<Condition>, S> status,
      EventRecorder events,
      Clock clock) {
    SortedSet<String> users = ReferenceUsers.of(lookup, resource);
    // emptied caches of a stopping operator show no users: the next leader decides
    if (Watches.stopped(context, shared)) return DeleteControl.noFinalizerRemoval();
    if (users.isEmpty()) return DeleteControl.defaultDelete();
    Conditions conditions =
        Conditions.from(previous, resource.getMetadata().getGeneration(), clock.instant())
            .keepPrevious()
            .set(
                ConditionType.Deletable,
                false,
                Reason.IN_USE,
                "Deletion waits: "
                    + ReferenceUsers.inUseMessage(
                        resource.getKind(), resource.getMetadata().getName(), users)
                    + ".");
    events.transitions(resource, conditions.changes());
    S next = status.apply(conditions.toList());
    if (!Objects.equals(resource.getStatus(), next)) {
      // a whole-status update at the cached resourceVersion: a stale copy fails and is retried
      var client = context.getClient();
      R copy = client.getKubernetesSerialization().clone(resource);
      copy.setStatus(next);
      client.resource(copy).updateStatus();
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(RECHECK);
  }
}
