package dev.limpet.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.PersistenceProfileConfig.Settings;
import dev.limpet.contract.PersistenceProfileConfig.Type;
import io.fabric8.generator.annotation.Required;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The persistence types are one closed set: each permitted {@link Settings} record is one {@link
 * Type} with its own block, and its defaults are within its own bounds.
 */
class PersistenceTypesTest {
  @Test
  void everySettingsRecordIsExactlyOneTypeAndTheOtherWayRound() {
    assertThat(Settings.class.getPermittedSubclasses())
        .containsExactlyInAnyOrder(
            Arrays.stream(Type.values()).map(Type::settingsClass).toArray(Class<?>[]::new));
    for (Type type : Type.values()) {
      assertThat(type.settingsClass().isRecord()).as(type.name()).isTrue();
      assertThat(type.defaults().type()).as(type.name()).isEqualTo(type);
      assertThat(Type.ofBlock(type.block())).isEqualTo(type);
    }
    assertThat(Arrays.stream(Type.values()).map(Type::block).distinct())
        .hasSize(Type.values().length);
  }

  @Test
  void everyDefaultIsWithinItsOwnBounds() {
    for (Type type : Type.values()) {
      Map<String, String> problems = RecordSchema.problems(type.defaults());
      // a required field has no default by definition
      problems.forEach(
          (field, problem) -> {
            assertThat(problem).as(type + "." + field).isEqualTo("is required");
            assertThat(hasRequired(type, field)).isTrue();
          });
    }
  }

  private static boolean hasRequired(Type type, String field) {
    return Arrays.stream(type.settingsClass().getRecordComponents())
        .filter(c -> c.getName().equals(field))
        .anyMatch(c -> c.getAccessor().isAnnotationPresent(Required.class));
  }
}
