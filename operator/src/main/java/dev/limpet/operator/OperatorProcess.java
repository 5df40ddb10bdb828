package dev.limpet.operator;

import dev.limpet.operator.server.ProbeServer;
import dev.limpet.operator.validation.ContractScriptCompiler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator as a process: the reconcilers behind a Lease, the probe and metrics port, and an
 * orderly stop. {@link OperatorMain} parses the command line into one of these.
 */
public final class OperatorProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorProcess.class);

  /** How long reconciles in flight may take to finish on stop. */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  /** Where the Lease lives and who this replica is; absent: no leader election (one replica). */
  public record LeaderElection(String leaseName, String leaseNamespace, String identity) {}

  /**
   * @param namespaces the watched namespaces; empty: all
   * @param probes the address of /healthz, /readyz and /metrics
   */
  public record Settings(
      Set<String> namespaces, Optional<LeaderElection> leaderElection, InetSocketAddress probes) {}

  private final KubernetesClient client;
  private final Settings settings;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private Operator operator;
  private ProbeServer probes;

  public OperatorProcess(KubernetesClient client, Settings settings) {
    this.client = client;
    this.settings = settings;
  }

  public void start() throws IOException {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    registry.gauge("limpet_operator_leader", leading, l -> l.get() ? 1 : 0);
    operator =
        LimpetOperator.create(
            client,
            settings.namespaces(),
            new ContractScriptCompiler(),
            Clock.systemUTC(),
            o -> {
              o.withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
                  .withReconciliationTerminationTimeout(STOP_TIMEOUT);
              settings.leaderElection().ifPresent(l -> o.withLeaderElectionConfiguration(lease(l)));
            });
    if (settings.leaderElection().isEmpty()) leading.set(true);
    probes = new ProbeServer(settings.probes(), () -> true, this::ready, registry::scrape);
    operator.start();
    LOG.info(
        "operator started, watching {}; probes and metrics on {}",
        settings.namespaces().isEmpty() ? "all namespaces" : settings.namespaces(),
        probes.address());
  }

  /**
   * Ready when not stopping and, on the leader, every informer is healthy. A replica waiting for
   * the Lease is ready: it has nothing to do until it leads.
   */
  public boolean ready() {
    if (stopping.get() || operator == null) return false;
    return !leading.get() || operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  public boolean leading() {
    return leading.get();
  }

  public InetSocketAddress probeAddress() {
    return probes.address();
  }

  private LeaderElectionConfiguration lease(LeaderElection l) {
    var callbacks =
        new LeaderCallbacks(
            () -> {
              leading.set(true);
              LOG.info("leading as {}", l.identity());
            },
            this::lostLease,
            leader -> LOG.info("the leader is {}", leader));
    return new LeaderElectionConfiguration(
        l.leaseName(),
        l.leaseNamespace(),
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        l.identity(),
        callbacks,
        false);
  }

  /**
   * A replica that lost the Lease exits so that it never reconciles beside the new leader; the exit
   * runs on its own thread since the callback may run inside the shutdown of the JVM. Giving up the
   * Lease on a stop is not a loss.
   */
  private void lostLease() {
    boolean wasLeading = leading.getAndSet(false);
    if (stopping.get() || !wasLeading) return;
    LOG.error("lost the Lease; exiting so that a single leader reconciles");
    new Thread(() -> System.exit(1), "lost-lease-exit").start();
  }

  /** Not ready first, then the reconciles in flight finish (bounded), then the ports close. */
  @Override
  public void close() {
    stopping.set(true);
    if (operator != null) operator.stop();
    if (probes != null) probes.close();
    registry.close();
    LOG.info("operator stopped");
  }
}
