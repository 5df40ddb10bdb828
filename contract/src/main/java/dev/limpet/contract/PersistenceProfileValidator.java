package dev.limpet.contract;

import dev.limpet.contract.PersistenceProfileConfig.Type;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Checks one persistence profile: a type, a settings block of that type, and the bounds its record
 * states ({@link RecordSchema}).
 */
final class PersistenceProfileValidator {
  private final ConfigProblems problems;

  PersistenceProfileValidator(ConfigProblems problems) {
    this.problems = problems;
  }

  void check(String path, PersistenceProfileConfig p) {
    if (p.type() == null) {
      problems.add(
          path + ".type",
          "is required ("
              + Arrays.stream(Type.values()).map(Type::name).collect(Collectors.joining(", "))
              + ")");
      return;
    }
    PersistenceProfileConfig.Settings settings = p.settings();
    String block = path + "." + settings.type().block();
    if (settings.type() != p.type()) {
      problems.add(block, "is only allowed with the matching type");
      return;
    }
    RecordSchema.problems(settings).forEach((field, m) -> problems.add(block + "." + field, m));
    settings.crossFieldProblems().forEach((field, m) -> problems.add(block + "." + field, m));
  }
}
