package dev.limpet.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every edit of a resource's conditions goes through here. Built from the previous conditions, it
 * keeps each one's {@code lastTransitionTime} unless its status changes, derives {@code Ready} from
 * the others, and reports the changes so that the caller can record Events.
 */
public final class Conditions {
  private final Map<ConditionType, Condition> previous = new EnumMap<>(ConditionType.class);
  private final Map<ConditionType, Condition> next = new EnumMap<>(ConditionType.class);
  private final long generation;
  private final String now;

  private Conditions(List<Condition> previous, long generation, Instant now) {
    if (previous != null) {
      for (Condition c : previous) {
        parse(c.getType()).ifPresent(type -> this.previous.put(type, c));
      }
    }
    this.generation = generation;
    this.now = now.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** Starts from a resource's current conditions ({@code null} when it has no status yet). */
  public static Conditions from(List<Condition> previous, Long generation, Instant now) {
    return new Conditions(previous, generation == null ? 0 : generation, now);
  }

  public Conditions accepted(List<String> problems) {
    return problems.isEmpty()
        ? set(ConditionType.Accepted, true, Reason.ACCEPTED, "The spec is valid.")
        : set(ConditionType.Accepted, false, Reason.INVALID, String.join("; ", problems));
  }

  /**
   * Accepted False (reason InvalidSpec): the spec in the API could not be read by this operator (a
   * field of the wrong type, an unknown enum value), so the resource is left out.
   */
  public Conditions unreadable(String problem) {
    return set(
        ConditionType.Accepted,
        false,
        Reason.INVALID_SPEC,
        "Cannot read the spec: "
            + problem
            + ". Fix the field; if it is valid for the installed CRDs, the operator is of another"
            + " version than the CRDs: upgrade them together. Until then this resource is left"
            + " out.");
  }

  public Conditions resolvedRefs(ReferenceCheck refs) {
    if (!refs.missing().isEmpty())
      return set(
          ConditionType.ResolvedRefs,
          false,
          Reason.REF_NOT_FOUND,
          "Not found: " + String.join(", ", refs.missing()) + ".");
    if (!refs.notReady().isEmpty())
      return set(
          ConditionType.ResolvedRefs,
          false,
          Reason.REF_NOT_READY,
          "Not usable: " + String.join("; ", refs.notReady()) + ".");
    return set(
        ConditionType.ResolvedRefs, true, Reason.RESOLVED_REFS, "Every reference is resolved.");
  }

  /** Whether {@code type} was True before this reconcile. */
  public boolean wasTrue(ConditionType type) {
    Condition old = previous.get(type);
    return old != null && "True".equals(old.getStatus());
  }

  /** Keeps every previous condition as it was; for a reconcile that changes only one. */
  public Conditions keepPrevious() {
    previous.forEach(
        (type, c) -> {
          if (type != ConditionType.Ready) next.put(type, c);
        });
    return this;
  }

  /** Sets one condition; {@link ConditionType#Ready} is derived, never set directly. */
  public Conditions set(ConditionType type, boolean status, String reason, String message) {
    if (type == ConditionType.Ready) throw new IllegalArgumentException("Ready is derived");
    next.put(type, condition(type, status, reason, message));
    return this;
  }

  /** The new conditions in a stable order, {@code Ready} last. */
  public List<Condition> toList() {
    List<Condition> list = new ArrayList<>(next.values());
    list.add(ready());
    return list;
  }

  /** The conditions whose status differs from before, or that are new. */
  public List<ConditionChange> changes() {
    List<ConditionChange> changes = new ArrayList<>();
    for (Condition c : toList()) {
      Condition old = previous.get(ConditionType.valueOf(c.getType()));
      if (old == null || !Objects.equals(old.getStatus(), c.getStatus()))
        changes.add(new ConditionChange(c));
    }
    return changes;
  }

  private Condition ready() {
    for (Condition c : next.values()) {
      if (!"True".equals(c.getStatus()))
        return condition(ConditionType.Ready, false, c.getReason(), c.getMessage());
    }
    return condition(ConditionType.Ready, true, Reason.READY, "Ready.");
  }

  private Condition condition(ConditionType type, boolean status, String reason, String message) {
    String statusText = status ? "True" : "False";
    Condition old = previous.get(type);
    String since =
        old != null && statusText.equals(old.getStatus()) && old.getLastTransitionTime() != null
            ? old.getLastTransitionTime()
            : now;
    return new ConditionBuilder()
        .withType(type.name())
        .withStatus(statusText)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build();
  }

  private static java.util.Optional<ConditionType> parse(String type) {
    for (ConditionType t : ConditionType.values()) {
      if (t.name().equals(type)) return java.util.Optional.of(t);
    }
    return java.util.Optional.empty();
  }
}
