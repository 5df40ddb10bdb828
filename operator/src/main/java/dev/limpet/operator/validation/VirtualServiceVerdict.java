package dev.limpet.operator.validation;

import dev.limpet.operator.status.ReferenceCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A VirtualService judged within its data-plane group.
 *
 * @param problems what is wrong with its spec
 * @param conflict why it lost its port to an older virtual service, if it did
 * @param references its Pool and DataScripts
 * @param certificates its TLS certificates ({@link CertificateResolution#NONE} for plain HTTP)
 */
public record VirtualServiceVerdict(
    List<String> problems,
    Optional<String> conflict,
    ReferenceCheck references,
    CertificateResolution certificates) {

  /**
   * Whether it goes into the group's configuration: a certificate Secret that turned bad keeps it
   * in, serving the last good certificate; one that never was good keeps it out.
   */
  public boolean admitted() {
    return problems.isEmpty()
        && conflict.isEmpty()
        && references.resolved()
        && certificates.complete();
  }

  /** Every reference, certificate Secrets included, for ResolvedRefs. */
  public ReferenceCheck allReferences() {
    List<String> missing = new ArrayList<>(references.missing());
    missing.addAll(certificates.missing());
    List<String> notReady = new ArrayList<>(references.notReady());
    notReady.addAll(certificates.notReady());
    return new ReferenceCheck(missing, notReady);
  }
}
