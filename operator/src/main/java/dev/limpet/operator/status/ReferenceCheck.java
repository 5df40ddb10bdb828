package dev.limpet.operator.status;

import java.util.List;

/**
 * The outcome of resolving a resource's references.
 *
 * @param missing references that name no object, e.g. {@code Pool 'web'}
 * @param notReady references to objects that exist but cannot be used, each with why
 */
public record ReferenceCheck(List<String> missing, List<String> notReady) {
  public ReferenceCheck {
    missing = List.copyOf(missing);
    notReady = List.copyOf(notReady);
  }

  public boolean resolved() {
    return missing.isEmpty() && notReady.isEmpty();
  }
}
