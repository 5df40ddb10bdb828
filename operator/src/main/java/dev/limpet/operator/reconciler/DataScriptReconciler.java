package dev.limpet.operator.reconciler;

import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.DataScriptStatus;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.decode.SpecProblems;
import dev.limpet.operator.event.EventRecorder;
import dev.limpet.operator.index.CachedNamespaceView;
import dev.limpet.operator.index.Indexes;
import dev.limpet.operator.index.ReferenceUsers;
import dev.limpet.operator.index.SharedEventSource;
import dev.limpet.operator.index.SharedInformers;
import dev.limpet.operator.render.ResourceRenderer;
import dev.limpet.operator.rollout.DataPlanePods;
import dev.limpet.operator.rollout.ReplicaSamples;
import dev.limpet.operator.status.ConditionType;
import dev.limpet.operator.status.Conditions;
import dev.limpet.operator.status.Reason;
import dev.limpet.operator.validation.References;
import dev.limpet.operator.validation.ScriptCompiler;
import dev.limpet.operator.validation.SpecValidator;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Validates and compiles a DataScript and checks that the Pools it names exist. Its deletion waits
 * while a VirtualService runs it. Every {@code poll} it also asks the ready data-plane replicas of
 * the groups that run it how many of its {@code avi.pool.select} calls fell back, and shows the
 * counts in its status (written only when they change).
 */
@ControllerConfiguration(name = "datascript")
public final class DataScriptReconciler implements Reconciler<DataScript>, Cleaner<DataScript> {
  private final EventRecorder events;
  private final SpecProblems unreadable;
  private final ScriptCompiler compiler;
  private final Clock clock;
  private final ReplicaSamples<Optional<Map<String, Map<String, Long>>>> fallbacks;
  private final Duration poll;
  private final SharedInformers shared;
  private ReferenceUsers.Lookup users;
  private SharedEventSource<VirtualService, DataScript> services;
  private SharedEventSource<Pod, DataScript> pods;

  public DataScriptReconciler(
      SharedInformers shared,
      SpecProblems unreadable,
      EventRecorder events,
      ScriptCompiler compiler,
      Clock clock,
      ReplicaSamples<Optional<Map<String, Map<String, Long>>>> fallbacks,
      Duration poll) {
    this.shared = shared;
    this.events = events;
    this.unreadable = unreadable;
    this.compiler = compiler;
    this.clock = clock;
    this.fallbacks = fallbacks;
    this.poll = poll;
  }

  @Override
  public List<EventSource<?, DataScript>> prepareEventSources(
      EventSourceContext<DataScript> context) {
    // the DataScripts' one informer, indexed, for every user of the kind
    var primary = shared.kind(DataScript.class).fromPrimary(context);
    IndexerResourceCache<DataScript> scripts = context.getPrimaryCache();
    SharedEventSource<Pool, DataScript> pools =
        Watches.specInformer(
            shared, Pool.class, p -> Watches.ids(scripts, Indexes.DATASCRIPT_BY_POOL, p));
    services = Watches.informer(shared, VirtualService.class, DeletionGuard.heldIn(scripts));
    users = ReferenceUsers.over(services, pools, scripts);
    // the data-plane pods (by group), read when polling: their changes wake no DataScript
    pods = Watches.informer(shared, Pod.class, pod -> Set.of());
    // the Secrets crypto keys come from: only those labelled for it are listed
    SharedEventSource<Secret, DataScript> keySecrets =
        new SharedEventSource<>(
            shared.kind(Secret.class),
            CachedNamespaceView.KEY_SECRETS,
            secret -> Watches.ids(scripts, Indexes.DATASCRIPT_BY_SECRET, secret));
    return List.of(primary, pools, services, pods, keySecrets);
  }

  @Override
  public DeleteControl cleanup(DataScript script, Context<DataScript> context) {
    var status = script.getStatus();
    return DeletionGuard.cleanup(
        script,
        context,
        shared,
        users,
        status == null ? null : status.conditions(),
        conditions -> new DataScriptStatus(script.getMetadata().getGeneration(), conditions),
        events,
        clock);
  }

  @Override
  public UpdateControl<DataScript> reconcile(DataScript script, Context<DataScript> context) {
    List<String> problems = SpecValidator.script(script);
    Optional<String> syntaxError =
        problems.isEmpty()
            ? compiler.firstError(ResourceRenderer.script(script))
            : Optional.empty();
    var view = new CachedNamespaceView(context, script.getMetadata().getNamespace());
    var status = script.getStatus();
    Long generation = script.getMetadata().getGeneration();
    Conditions conditions =
        Conditions.from(status == null ? null : status.conditions(), generation, clock.instant())
            .accepted(problems)
            .resolvedRefs(References.dataScript(script, view));
    if (syntaxError.isPresent())
      conditions.set(ConditionType.Compiled, false, Reason.SYNTAX_ERROR, syntaxError.get());
    else if (problems.isEmpty())
      conditions.set(ConditionType.Compiled, true, Reason.COMPILED, "Every event compiles.");
    else
      conditions.set(
          ConditionType.Compiled, false, Reason.INVALID, "Not compiled: the spec is not valid.");
    unreadable.of(script).ifPresent(conditions::unreadable);
    if (Watches.stopped(context, shared)) return UpdateControl.noUpdate();
    events.transitions(script, conditions.changes());
    Map<String, Long> fellBack =
        selectionFallbacks(script, status == null ? null : status.selectionFallbacks());
    return StatusPatch.of(
            script,
            new DataScriptStatus(generation, conditions.toList(), fellBack),
            DataScript::new)
        .rescheduleAfter(poll);
  }

  /**
   * The script's selection fallbacks summed over the ready replicas of the groups whose
   * VirtualServices run it; {@code previous} when one of them does not answer (a partial sum would
   * make the counts jump), null when none fell back or no replica runs it.
   */
  private Map<String, Long> selectionFallbacks(DataScript script, Map<String, Long> previous) {
    String namespace = script.getMetadata().getNamespace();
    String name = script.getMetadata().getName();
    Set<String> groups = new TreeSet<>();
    for (VirtualService vs : services.byIndex(Indexes.VS_BY_DATASCRIPT, Indexes.key(script, name)))
      groups.add(Indexes.group(vs));
    List<DataPlanePods.Replica> ready =
        groups.stream()
            .flatMap(g -> pods.byIndex(Indexes.POD_BY_GROUP, Indexes.key(namespace, g)).stream())
            .flatMap(p -> DataPlanePods.ready(p).stream())
            .toList();
    if (ready.isEmpty()) return null;
    Map<String, Long> sum = new TreeMap<>();
    for (var answer : fallbacks.of(ready).values()) {
      if (answer.isEmpty()) return previous;
      answer.get().getOrDefault(name, Map.of()).forEach((r, n) -> sum.merge(r, n, Long::sum));
    }
    return sum.isEmpty() ? null : sum;
  }
}
