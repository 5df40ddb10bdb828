package dev.limpet.dataplane.tls;

import dev.limpet.contract.ConfigException;
import java.util.List;

/**
 * A configuration names certificates the data plane's TLS Secret does not hold yet (the operator
 * writes the Secret and the ConfigMap one after the other): it is applied once they arrive.
 */
public final class CertificatesPendingException extends ConfigException {
  private static final long serialVersionUID = 1L;

  CertificatesPendingException(String what) {
    super(List.of("waiting for " + what + " in the TLS Secret"));
  }
}
