package dev.limpet.operator.validation;

import dev.limpet.operator.status.ReferenceCheck;
import java.util.List;
import java.util.Optional;

/**
 * A VirtualService judged within its data-plane group.
 *
 * @param problems what is wrong with its spec
 * @param conflict why it lost its port to an older virtual service, if it did
 * @param references its Pool and DataScripts
 */
public record VirtualServiceVerdict(
    List<String> problems, Optional<String> conflict, ReferenceCheck references) {

  /** Whether it goes into the group's configuration. */
  public boolean admitted() {
    return problems.isEmpty() && conflict.isEmpty() && references.resolved();
  }
}
