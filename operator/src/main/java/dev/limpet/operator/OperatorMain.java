package dev.limpet.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the operator with the cluster credentials it finds (in-cluster, or a kubeconfig). */
@Command(
    name = "limpet-operator",
    mixinStandardHelpOptions = true,
    description = "Limpet operator: renders Limpet resources into data-plane configurations.")
public final class OperatorMain implements Callable<Integer> {
  @Option(
      names = "--namespaces",
      split = ",",
      description = "Namespaces to watch, comma-separated. Default: all.")
  List<String> namespaces = List.of();

  @Option(
      names = "--probes",
      defaultValue = "0.0.0.0:8081",
      description = "Address of /healthz, /readyz and /metrics. Default: ${DEFAULT-VALUE}.")
  String probes;

  @Option(
      names = "--leader-election",
      negatable = true,
      defaultValue = "true",
      // without a fallback, picocli makes the plain option the opposite of the default: off
      fallbackValue = "true",
      description =
          "Take a Lease before reconciling, so that one replica of several leads (the default);"
              + " --no-leader-election for a single replica without a Lease.")
  boolean leaderElection;

  @Option(
      names = "--lease-name",
      defaultValue = "limpet-operator",
      description = "Default: ${DEFAULT-VALUE}.")
  String leaseName;

  @Option(
      names = "--lease-namespace",
      description = "Default: $POD_NAMESPACE, else the client's namespace.")
  String leaseNamespace;

  /** The admission webhook: its address, certificate and key come together or not at all. */
  static final class Webhook {
    @Option(
        names = "--webhook",
        required = true,
        description =
            "Address of the validating admission webhook (HTTPS, path /validate), e.g."
                + " 0.0.0.0:9443. Absent: no webhook; finalizers still hold deletions of objects in"
                + " use.")
    String address;

    @Option(
        names = "--webhook-cert",
        required = true,
        description = "The webhook's PEM certificate (chain), e.g. from the chart's Secret.")
    Path cert;

    @Option(
        names = "--webhook-key",
        required = true,
        description = "The webhook's PEM private key (PKCS#1, PKCS#8 or SEC1; not encrypted).")
    Path key;
  }

  @ArgGroup(exclusive = false, multiplicity = "0..1")
  Webhook webhook;

  /**
   * With fewer than three CPUs (the chart's limit is one) the common pool has a parallelism below
   * two, and {@code CompletableFuture} then runs every async step in a new thread: the JDK HTTP
   * client under fabric8 started one per API response, 10,000 threads for 1,000 VirtualServices.
   * Two pool threads take them instead, unless {@code -D} sets it. Set before anything uses the
   * pool.
   */
  private static final String COMMON_POOL_PARALLELISM =
      "java.util.concurrent.ForkJoinPool.common.parallelism";

  public static void main(String[] args) {
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null
        && Runtime.getRuntime().availableProcessors() < 3)
      System.setProperty(COMMON_POOL_PARALLELISM, "2");
    System.exit(new CommandLine(new OperatorMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    KubernetesClient client = new KubernetesClientBuilder().build();
    var process = new OperatorProcess(client, settings(client));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  process.close();
                  client.close();
                  stopped.countDown();
                },
                "shutdown"));
    process.start();
    stopped.await();
    return 0;
  }

  /** Whether the parsed command line takes a Lease. */
  public boolean leaderElection() {
    return leaderElection;
  }

  OperatorProcess.Settings settings(KubernetesClient client) {
    Optional<OperatorProcess.LeaderElection> lease =
        leaderElection
            ? Optional.of(
                new OperatorProcess.LeaderElection(
                    leaseName,
                    Objects.requireNonNullElse(
                        leaseNamespace,
                        Objects.requireNonNullElse(
                            System.getenv("POD_NAMESPACE"),
                            client.getConfiguration().getNamespace())),
                    Objects.requireNonNullElse(
                        System.getenv("POD_NAME"), "limpet-operator-" + UUID.randomUUID())))
            : Optional.empty();
    Optional<OperatorProcess.Webhook> hook = Optional.empty();
    if (webhook != null)
      hook =
          Optional.of(
              new OperatorProcess.Webhook(
                  address(webhook.address), Optional.of(webhook.cert), Optional.of(webhook.key)));
    return new OperatorProcess.Settings(new HashSet<>(namespaces), lease, address(probes), hook);
  }

  static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0)
      throw new CommandLine.ParameterException(
          new CommandLine(new OperatorMain()), "expected host:port, got " + hostPort);
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }
}
