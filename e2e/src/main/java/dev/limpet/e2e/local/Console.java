package dev.limpet.e2e.local;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The local run's prompt: what {@code kubectl} would do against a cluster (the embedded API server
 * speaks enough of the API for the operator, not for kubectl's discovery), plus the faults the
 * end-to-end suite injects.
 */
final class Console {
  static final String HELP =
      """
        status                        every Limpet resource with its Ready condition
        apply <file or folder>        kubectl apply -f
        delete <Kind> <name>          kubectl delete, e.g. delete Pool client-ip
        scale <n>                     kubectl scale deployment demo --replicas <n>
        kill <0|1>                    SIGKILL a data-plane replica (it is restarted, as a pod)
        restart-operator              a new operator process takes over the Lease
        api down | api up             cut the operator and data planes off the API, and back
        help | quit""";

  private final LocalCluster cluster;
  private final PrintStream out;

  Console(LocalCluster cluster, PrintStream out) {
    this.cluster = cluster;
    this.out = out;
  }

  /** Reads commands; true after {@code quit}, false at the end of input. */
  boolean run() throws Exception {
    var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] words = line.trim().split("\\s+");
      if (words[0].equals("quit")) return true;
      try {
        execute(words);
      } catch (Exception e) {
        out.println("  failed: " + e.getMessage());
      }
    }
    return false;
  }

  private void execute(String[] w) throws Exception {
    switch (w[0]) {
      case "" -> {}
      case "status" -> status();
      case "apply" -> {
        for (var r : Manifests.apply(cluster.kubernetes(), Path.of(w[1])))
          out.println("  " + r.getKind() + "/" + r.getMetadata().getName() + " applied");
      }
      case "delete" -> {
        cluster.resources().delete(w[1], w[2]);
        out.println("  " + w[1] + "/" + w[2] + " deleted");
      }
      case "scale" -> {
        cluster.demo().scale(Integer.parseInt(w[1]));
        out.println("  deployment demo scaled to " + w[1]);
      }
      case "kill" -> cluster.dataPlanes().kill(Integer.parseInt(w[1]));
      case "restart-operator" -> cluster.operator().restart();
      case "api" -> {
        if (w[1].equals("down")) cluster.disconnectApi();
        else cluster.reconnectApi();
        out.println("  API " + (w[1].equals("down") ? "unreachable" : "reachable"));
      }
      default -> out.println(HELP);
    }
  }

  private void status() {
    for (String kind : LimpetResources.KINDS) {
      for (GenericKubernetesResource r : cluster.resources().list(kind)) {
        String ready =
            LimpetResources.ready(r)
                .map(c -> c.isTrue() ? "True" : "False  " + c.reason() + ": " + c.message())
                .orElse("(no status yet)");
        out.printf("  %-45s %s%n", kind + "/" + r.getMetadata().getName(), ready);
      }
    }
    out.println("  demo pods: " + cluster.demo().pods());
  }
}
