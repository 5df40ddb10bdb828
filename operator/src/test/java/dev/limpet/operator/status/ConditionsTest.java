package dev.limpet.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ConditionsTest {
  private static final Instant T1 = Instant.parse("2026-01-01T00:00:00.250Z");
  private static final Instant T2 = Instant.parse("2026-01-01T00:05:00Z");
  private static final ReferenceCheck RESOLVED = new ReferenceCheck(List.of(), List.of());

  @Test
  void lastTransitionTimeIsKeptWhileTheStatusStaysAndMovesWhenItChanges() {
    List<Condition> first =
        Conditions.from(null, 1L, T1)
            .accepted(List.of())
            .resolvedRefs(new ReferenceCheck(List.of("Pool 'p'"), List.of()))
            .toList();

    Conditions second = Conditions.from(first, 2L, T2).accepted(List.of()).resolvedRefs(RESOLVED);
    List<Condition> after = second.toList();

    assertThat(get(after, "Accepted").getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(get(after, "Accepted").getObservedGeneration()).isEqualTo(2L);
    assertThat(get(after, "ResolvedRefs").getLastTransitionTime())
        .isEqualTo("2026-01-01T00:05:00Z");
    assertThat(get(after, "Ready").getLastTransitionTime()).isEqualTo("2026-01-01T00:05:00Z");
    assertThat(second.changes())
        .extracting(c -> c.condition().getType())
        .containsExactly("ResolvedRefs", "Ready");
  }

  @Test
  void readySummarisesTheFirstConditionThatIsNotTrue() {
    List<Condition> conditions =
        Conditions.from(null, 1L, T1)
            .accepted(List.of("spec.port: 0 is out of range 1..65535"))
            .resolvedRefs(new ReferenceCheck(List.of("Pool 'p'"), List.of()))
            .toList();

    Condition ready = get(conditions, "Ready");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("Invalid");
    assertThat(ready.getMessage()).isEqualTo("spec.port: 0 is out of range 1..65535");
    assertThat(get(conditions, "ResolvedRefs").getMessage()).isEqualTo("Not found: Pool 'p'.");
    assertThat(conditions).extracting(Condition::getType).last().isEqualTo("Ready");
  }

  @Test
  void nothingChangesWhenNothingChanged() {
    List<Condition> first = Conditions.from(null, 1L, T1).accepted(List.of()).toList();
    Conditions again = Conditions.from(first, 1L, T2).accepted(List.of());
    assertThat(again.toList()).isEqualTo(first);
    assertThat(again.changes()).isEmpty();
  }

  private static Condition get(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }
}
