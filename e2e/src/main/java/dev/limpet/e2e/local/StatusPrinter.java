package dev.limpet.e2e.local;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Prints a line whenever a Limpet resource's Ready condition changes, as {@code kubectl get -w}
 * would, with the message when it is not ready (the message says what to do).
 */
final class StatusPrinter {
  private final LimpetResources resources;
  private final PrintStream out;
  private final Map<String, String> shown = new HashMap<>();

  StatusPrinter(LimpetResources resources, PrintStream out) {
    this.resources = resources;
    this.out = out;
  }

  /** Prints what changed since the last call; returns how many VirtualServices are Ready. */
  long printChanges() {
    long readyServices = 0;
    for (String kind : LimpetResources.KINDS) {
      for (GenericKubernetesResource r : resources.list(kind)) {
        var ready = LimpetResources.ready(r);
        if (ready.isEmpty()) continue;
        if (kind.equals("VirtualService") && ready.get().isTrue()) readyServices++;
        String line =
            ready.get().isTrue()
                ? "Ready"
                : "NOT READY (" + ready.get().reason() + "): " + ready.get().message();
        String key = kind + "/" + r.getMetadata().getName();
        if (!line.equals(shown.put(key, line))) out.printf("  %-45s %s%n", key, line);
      }
    }
    return readyServices;
  }
}
