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

  @Option(
      names = "--webhook",
      description =
          "Address of the validating admission webhook (HTTPS, path /validate), e.g."
              + " 0.0.0.0:9443. Absent: no webhook; finalizers still hold deletions of objects in"
              + " use.")
  String webhook;

  @Option(
      names = "--webhook-cert",
      description = "The webhook's PEM certificate (chain), e.g. from the chart's Secret.")
  Path webhookCert;

  @Option(
      names = "--webhook-key",
      description = "The webhook's PEM private key (PKCS#1 RSA or PKCS#8).")
  Path webhookKey;

  public static void main(String[] args) {
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
    if (webhook != null) {
      if (webhookCert == null || webhookKey == null)
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--webhook needs --webhook-cert and --webhook-key");
      hook =
          Optional.of(
              new OperatorProcess.Webhook(
                  address(webhook), Optional.of(webhookCert), Optional.of(webhookKey)));
    }
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
