package dev.limpet.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The last step of every reconcile: a status patch carrying only name, namespace and the new
 * status, or no write at all when the status is what it was.
 */
final class StatusPatch {
  private StatusPatch() {}

  static <S, R extends CustomResource<?, S>> UpdateControl<R> of(
      R current, S status, Supplier<R> empty) {
    if (Objects.equals(current.getStatus(), status)) return UpdateControl.noUpdate();
    R fresh = empty.get();
    fresh.setMetadata(
        new ObjectMetaBuilder()
            .withName(current.getMetadata().getName())
            .withNamespace(current.getMetadata().getNamespace())
            .build());
    fresh.setStatus(status);
    return UpdateControl.patchStatus(fresh);
  }
}
