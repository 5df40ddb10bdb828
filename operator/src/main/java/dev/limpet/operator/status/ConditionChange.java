package dev.limpet.operator.status;

import io.fabric8.kubernetes.api.model.Condition;

/** A condition whose status changed in this reconcile (or that appeared): worth an Event. */
public record ConditionChange(Condition condition) {
  public boolean isTrue() {
    return "True".equals(condition.getStatus());
  }
}
