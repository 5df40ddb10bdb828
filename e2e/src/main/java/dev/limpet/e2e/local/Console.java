package dev.limpet.e2e.local;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

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
        kill operator                 SIGKILL the operator (it is restarted, as a pod)
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
      ConsoleCommand command = ConsoleCommand.parse(line, cluster.dataPlanes().count());
      if (command instanceof ConsoleCommand.Quit) return true;
      try {
        execute(command);
      } catch (Exception e) {
        // the API refused or a process would not stop: one line, the details are in the logs
        out.println("  failed: " + e.getMessage());
      }
    }
    return false;
  }

  private void execute(ConsoleCommand command) throws Exception {
    if (command instanceof ConsoleCommand.Usage u) out.println("  " + u.message());
    else if (command instanceof ConsoleCommand.Help) out.println(HELP);
    else if (command instanceof ConsoleCommand.Status) status();
    else if (command instanceof ConsoleCommand.Apply a) {
      for (var r : Manifests.apply(cluster.kubernetes(), a.path()))
        out.println("  " + r.getKind() + "/" + r.getMetadata().getName() + " applied");
    } else if (command instanceof ConsoleCommand.Delete d) {
      if (cluster.resources().get(d.kind(), d.name()).isEmpty())
        out.println("  " + d.kind() + "/" + d.name() + " not found");
      else {
        cluster.resources().delete(d.kind(), d.name());
        out.println("  " + d.kind() + "/" + d.name() + " deleted");
      }
    } else if (command instanceof ConsoleCommand.Scale s) {
      cluster.demo().scale(s.replicas());
      out.println("  deployment demo scaled to " + s.replicas());
    } else if (command instanceof ConsoleCommand.KillReplica k)
      cluster.dataPlanes().kill(k.replica());
    else if (command instanceof ConsoleCommand.KillOperator) cluster.operator().kill();
    else if (command instanceof ConsoleCommand.RestartOperator) cluster.operator().restart();
    else if (command instanceof ConsoleCommand.Api a) {
      if (a.up()) cluster.reconnectApi();
      else cluster.disconnectApi();
      out.println("  API " + (a.up() ? "reachable" : "unreachable"));
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
