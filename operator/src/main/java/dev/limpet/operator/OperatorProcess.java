package dev.limpet.operator;

import dev.limpet.operator.admission.AdmissionPolicy;
import dev.limpet.operator.decode.TolerantClient;
import dev.limpet.operator.index.ReferenceInformers;
import dev.limpet.operator.index.SharedInformers;
import dev.limpet.operator.rollout.HttpAdminEndpoint;
import dev.limpet.operator.server.PemTls;
import dev.limpet.operator.server.ProbeServer;
import dev.limpet.operator.server.WebhookServer;
import dev.limpet.operator.validation.ContractScriptCompiler;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
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
   * The admission webhook's port and TLS files; without them it serves plain HTTP (tests only: the
   * API server calls webhooks over HTTPS).
   */
  public record Webhook(
      InetSocketAddress address, Optional<Path> certificate, Optional<Path> key) {}

  /**
   * @param namespaces the watched namespaces; empty: all
   * @param probes the address of /healthz, /readyz and /metrics
   * @param webhook absent: no webhook (the finalizers still hold deletions of objects in use)
   */
  public record Settings(
      Set<String> namespaces,
      Optional<LeaderElection> leaderElection,
      InetSocketAddress probes,
      Optional<Webhook> webhook) {}

  private final KubernetesClient client;
  private final Settings settings;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private TolerantClient own;
  private Operator operator;
  private ProbeServer probes;
  private SharedInformers shared;
  private ReferenceInformers references;
  private WebhookServer webhook;

  public OperatorProcess(KubernetesClient client, Settings settings) {
    this.client = client;
    this.settings = settings;
  }

  public void start() throws IOException, GeneralSecurityException {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    registry.gauge("limpet_operator_leader", leading, l -> l.get() ? 1 : 0);
    // one tolerant client for the reconcilers and the webhook: an object that one of them reads,
    // both read, and an object of another CRD version stops neither
    own = TolerantClient.over(client);
    // one informer per kind for the controllers and the webhook
    shared = new SharedInformers(own.client(), settings.namespaces());
    operator =
        LimpetOperator.create(
            own,
            shared,
            settings.namespaces(),
            new ContractScriptCompiler(),
            Clock.systemUTC(),
            new HttpAdminEndpoint(),
            o -> {
              o.withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
                  .withReconciliationTerminationTimeout(STOP_TIMEOUT);
              settings.leaderElection().ifPresent(l -> o.withLeaderElectionConfiguration(lease(l)));
            });
    if (settings.leaderElection().isEmpty()) leading.set(true);
    probes = new ProbeServer(settings.probes(), () -> true, this::ready, registry::scrape);
    if (settings.webhook().isPresent()) startWebhook(settings.webhook().get());
    operator.start();
    LOG.info(
        "operator started, watching {}; probes and metrics on {}",
        settings.namespaces().isEmpty() ? "all namespaces" : settings.namespaces(),
        probes.address());
  }

  private void startWebhook(Webhook w) throws IOException, GeneralSecurityException {
    Optional<SSLContext> tls =
        w.certificate().isPresent() && w.key().isPresent()
            ? Optional.of(PemTls.serverContext(w.certificate().get(), w.key().get()))
            : Optional.empty();
    references = new ReferenceInformers(shared);
    references.start();
    var policy = new AdmissionPolicy(references.lookup(), new ContractScriptCompiler(), own);
    webhook = new WebhookServer(w.address(), tls, policy, own.serialization());
  }

  /**
   * Ready when not stopping, the webhook's caches have listed once, and, on the leader, every
   * informer is healthy. A replica waiting for the Lease is ready: it serves the webhook.
   */
  public boolean ready() {
    if (stopping.get() || operator == null) return false;
    if (references != null && !references.synced()) return false;
    return !leading.get() || operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  public Optional<InetSocketAddress> webhookAddress() {
    return Optional.ofNullable(webhook).map(WebhookServer::address);
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

  /**
   * Gives the Lease up as client-go's {@code ReleaseOnCancel} does (no holder, one-second
   * duration), so the next replica leads at its next retry instead of after the lease duration.
   * JOSDK cancels its elector on stop without releasing. An update at the read resourceVersion: a
   * Lease another replica took meanwhile is left alone.
   */
  private void releaseLease(LeaderElection l) {
    var leases = client.leases().inNamespace(l.leaseNamespace()).withName(l.leaseName());
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        Lease lease = leases.get();
        if (lease == null || !l.identity().equals(lease.getSpec().getHolderIdentity())) return;
        lease.getSpec().setHolderIdentity(null);
        lease.getSpec().setLeaseDurationSeconds(1);
        lease.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
        client.resource(lease).update();
        LOG.info("released Lease {}/{}", l.leaseNamespace(), l.leaseName());
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          LOG.warn("could not release Lease {}: {}", l.leaseName(), e.getMessage());
          return;
        }
      }
    }
  }

  /** Not ready first, then the reconciles in flight finish (bounded), then the ports close. */
  @Override
  public void close() {
    if (stopping.getAndSet(true)) return;
    if (webhook != null) webhook.close();
    if (operator != null) operator.stop();
    settings.leaderElection().ifPresent(this::releaseLease);
    if (references != null) references.close();
    if (own != null) own.close();
    if (probes != null) probes.close();
    registry.close();
    LOG.info("operator stopped");
  }
}
