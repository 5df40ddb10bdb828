package dev.limpet.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;

/**
 * The API server refuses every create in a namespace that is being deleted (403, cause
 * NamespaceTerminating). Such a refusal is final, not an error to retry: whatever the operator
 * wanted to create there (a group's ConfigMap, a Service, a default profile) goes with the
 * namespace, and retrying would hold the Pool finalizers (a reconcile that fails is retried before
 * its cleanup) and keep the group's owner rendering for nothing.
 */
final class NamespaceTermination {
  static final String CAUSE = "NamespaceTerminating";

  private NamespaceTermination() {}

  static boolean refused(KubernetesClientException e) {
    if (e.getCode() != HttpURLConnection.HTTP_FORBIDDEN) return false;
    var status = e.getStatus();
    boolean cause =
        status != null
            && status.getDetails() != null
            && status.getDetails().getCauses() != null
            && status.getDetails().getCauses().stream().anyMatch(c -> CAUSE.equals(c.getReason()));
    return cause || String.valueOf(e.getMessage()).contains("is being terminated");
  }
}
