package dev.limpet.e2e.local;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The README's first command: Limpet on this machine with no cluster. Starts the embedded API
 * server, the operator, two data-plane replicas and the demo backend, applies examples/, prints
 * what to try, follows the resources' status and takes commands, until Ctrl-C (or {@code quit}),
 * which stops everything it started.
 */
public final class LocalLimpet {
  private LocalLimpet() {}

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    LocalSettings settings = LocalSettings.local(repo);
    System.out.println("Starting Limpet locally (logs in " + settings.work().resolve("logs") + ")");
    LocalCluster cluster;
    try {
      cluster = LocalCluster.start(settings);
    } catch (IOException e) {
      System.err.println("Cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("\nStopping: operator, data planes, demo backends, API.");
                  cluster.close();
                }));
    cluster.applyExamples();
    System.out.println("Applied examples/. Status (Ready once every replica applied it):");
    Thread follower = new Thread(() -> followStatus(cluster, settings), "status");
    follower.setDaemon(true);
    follower.start();
    if (new Console(cluster, System.out).run()) System.exit(0); // quit: the hook stops all
    Thread.currentThread().join(); // no terminal: run until SIGINT or SIGTERM
  }

  /** Prints Ready changes as they happen, and what to try once every VirtualService is Ready. */
  private static void followStatus(LocalCluster cluster, LocalSettings settings) {
    StatusPrinter status = new StatusPrinter(cluster.resources(), System.out);
    boolean shownTryText = false;
    while (true) {
      try {
        long services = cluster.resources().list("VirtualService").size();
        if (status.printChanges() == services && !shownTryText) {
          System.out.println(TryText.of(settings, cluster.apiUrl()));
          shownTryText = true;
        }
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // the API client is closing at Ctrl-C; nothing to print
      }
    }
  }
}
