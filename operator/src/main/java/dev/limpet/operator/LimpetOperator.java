package dev.limpet.operator;

import dev.limpet.operator.decode.SpecProblems;
import dev.limpet.operator.decode.TolerantClient;
import dev.limpet.operator.event.EventRecorder;
import dev.limpet.operator.index.SharedInformers;
import dev.limpet.operator.reconciler.DataScriptReconciler;
import dev.limpet.operator.reconciler.PersistenceProfileReconciler;
import dev.limpet.operator.reconciler.PoolReconciler;
import dev.limpet.operator.reconciler.VirtualServiceReconciler;
import dev.limpet.operator.rollout.AdminEndpoint;
import dev.limpet.operator.rollout.HttpAdminEndpoint;
import dev.limpet.operator.rollout.ReplicaSamples;
import dev.limpet.operator.rollout.ReplicaVersions;
import dev.limpet.operator.validation.ScriptCompiler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Assembles the operator: its four reconcilers on one client, watching {@code namespaces} (empty:
 * all). Writes go through create, update, JSON merge patch and status patches, never server-side
 * apply, so a real cluster and the fabric8 mock API server behave alike.
 */
public final class LimpetOperator {
  private LimpetOperator() {}

  /** How long a replica's reported version is trusted before it is asked again. */
  static final Duration REPLICA_VERSION_MAX_AGE = Duration.ofMillis(500);

  /** How often a DataScript's selection fallbacks are read from the data-plane replicas. */
  static final Duration SELECTION_FALLBACK_POLL = Duration.ofSeconds(10);

  /** A configured operator, not yet started, asking replicas over HTTP. */
  public static Operator create(
      KubernetesClient client, Set<String> namespaces, ScriptCompiler compiler, Clock clock) {
    return create(client, namespaces, compiler, clock, new HttpAdminEndpoint(), o -> {});
  }

  /**
   * A configured operator, not yet started, on a tolerant client of its own that it closes on stop.
   *
   * @param admin how a data-plane replica is asked which configuration it applied
   * @param runtime further settings: leader election, metrics
   */
  public static Operator create(
      KubernetesClient client,
      Set<String> namespaces,
      ScriptCompiler compiler,
      Clock clock,
      AdminEndpoint admin,
      Consumer<ConfigurationServiceOverrider> runtime) {
    TolerantClient own = TolerantClient.over(client);
    return create(
        own,
        true,
        new SharedInformers(own.client(), namespaces),
        namespaces,
        compiler,
        clock,
        admin,
        runtime);
  }

  /**
   * A configured operator, not yet started, on {@code own}, which the caller shares (with the
   * webhook) and closes, and on the informers of {@code shared}, built on {@code own} for the same
   * namespaces, which the caller may share with the webhook.
   */
  public static Operator create(
      TolerantClient own,
      SharedInformers shared,
      Set<String> namespaces,
      ScriptCompiler compiler,
      Clock clock,
      AdminEndpoint admin,
      Consumer<ConfigurationServiceOverrider> runtime) {
    return create(own, false, shared, namespaces, compiler, clock, admin, runtime);
  }

  private static Operator create(
      TolerantClient own,
      boolean closeClientOnStop,
      SharedInformers shared,
      Set<String> namespaces,
      ScriptCompiler compiler,
      Clock clock,
      AdminEndpoint admin,
      Consumer<ConfigurationServiceOverrider> runtime) {
    SpecProblems unreadable = own.problems();
    KubernetesClient client = own.client();
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(closeClientOnStop)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false);
              runtime.accept(o);
            });
    shared.configure(operator.getConfigurationService());
    EventRecorder events = new EventRecorder(client, clock);
    register(
        operator, new PersistenceProfileReconciler(shared, unreadable, events, clock), namespaces);
    register(operator, new PoolReconciler(shared, unreadable, events, clock), namespaces);
    register(
        operator,
        new DataScriptReconciler(
            shared,
            unreadable,
            events,
            compiler,
            clock,
            new ReplicaSamples<>(
                admin::selectionFallbacks, SELECTION_FALLBACK_POLL.dividedBy(2), System::nanoTime),
            SELECTION_FALLBACK_POLL),
        namespaces);
    register(
        operator,
        new VirtualServiceReconciler(
            client,
            shared,
            unreadable,
            events,
            compiler,
            clock,
            new ReplicaVersions(admin, REPLICA_VERSION_MAX_AGE, System::nanoTime)),
        namespaces);
    return operator;
  }

  private static <P extends HasMetadata> void register(
      Operator operator, Reconciler<P> reconciler, Set<String> namespaces) {
    Consumer<ControllerConfigurationOverrider<P>> config =
        o -> {
          if (!namespaces.isEmpty()) o.settingNamespaces(namespaces);
        };
    operator.register(reconciler, config);
  }
}
