package dev.limpet.operator.reconciler;

import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.api.VirtualServiceStatus;
import dev.limpet.operator.event.EventRecorder;
import dev.limpet.operator.index.CachedNamespaceView;
import dev.limpet.operator.index.Indexes;
import dev.limpet.operator.status.ConditionType;
import dev.limpet.operator.status.Conditions;
import dev.limpet.operator.status.Reason;
import dev.limpet.operator.validation.GroupAdmission;
import dev.limpet.operator.validation.ScriptCompiler;
import dev.limpet.operator.validation.VirtualServiceVerdict;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Judges a VirtualService within its data-plane group, publishes the group's configuration and
 * reports Accepted, ResolvedRefs and Programmed. Its finalizer republishes the group without it on
 * deletion.
 */
@ControllerConfiguration(name = "virtualservice")
public final class VirtualServiceReconciler
    implements Reconciler<VirtualService>, Cleaner<VirtualService> {
  private static final String PEERS = "peers";

  private final GroupPublisher publisher;
  private final EventRecorder events;
  private final ScriptCompiler compiler;
  private final Clock clock;
  private InformerEventSource<Pool, VirtualService> pools;
  private InformerEventSource<DataScript, VirtualService> scripts;

  public VirtualServiceReconciler(
      GroupPublisher publisher, EventRecorder events, ScriptCompiler compiler, Clock clock) {
    this.publisher = publisher;
    this.events = events;
    this.compiler = compiler;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, VirtualService>> prepareEventSources(
      EventSourceContext<VirtualService> context) {
    IndexerResourceCache<VirtualService> services = context.getPrimaryCache();
    services.addIndexers(
        Map.of(
            Indexes.VS_BY_POOL, Indexes::vsPool,
            Indexes.VS_BY_DATASCRIPT, Indexes::vsDataScripts,
            Indexes.VS_BY_GROUP, Indexes::vsGroup,
            Indexes.VS_BY_LISTENER, Indexes::vsListener));
    pools =
        Watches.informer(
            Pool.class, context, pool -> byPool(services, List.of(Indexes.key(pool, name(pool)))));
    pools.addIndexers(
        Map.of(
            Indexes.POOL_BY_PROFILE, Indexes::poolProfile,
            Indexes.POOL_BY_SERVICE, Indexes::poolService));
    scripts =
        Watches.informer(
            DataScript.class,
            context,
            script -> Watches.ids(services, Indexes.VS_BY_DATASCRIPT, script));
    scripts.addIndexer(Indexes.DATASCRIPT_BY_POOL, Indexes::dataScriptPools);
    var profiles =
        Watches.informer(
            PersistenceProfile.class,
            context,
            p -> byPool(services, poolKeys(Indexes.POOL_BY_PROFILE, p)));
    var kubeServices =
        Watches.informer(
            Service.class, context, s -> byPool(services, poolKeys(Indexes.POOL_BY_SERVICE, s)));
    var slices =
        Watches.informer(
            EndpointSlice.class,
            context,
            slice ->
                byPool(
                    services,
                    CachedNamespaceView.sliceService(slice).stream()
                        .flatMap(k -> pools.byIndex(Indexes.POOL_BY_SERVICE, k).stream())
                        .map(p -> Indexes.key(p, name(p)))
                        .toList()));
    slices.addIndexer(CachedNamespaceView.SLICE_BY_SERVICE, CachedNamespaceView::sliceService);
    var configMaps =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ConfigMap.class, VirtualService.class)
                .withNamespacesInheritedFromController()
                .withLabelSelector(
                    GroupPublisher.MANAGED_BY_LABEL + "=" + GroupPublisher.MANAGED_BY)
                .withSecondaryToPrimaryMapper(cm -> oneOfGroup(services, cm))
                .build(),
            context);
    var peers =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(VirtualService.class, VirtualService.class)
                .withName(PEERS)
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(vs -> peersOf(services, vs))
                .build(),
            context);
    return List.of(pools, scripts, profiles, kubeServices, slices, configMaps, peers);
  }

  @Override
  public UpdateControl<VirtualService> reconcile(
      VirtualService vs, Context<VirtualService> context) {
    String namespace = vs.getMetadata().getNamespace();
    String group = Indexes.group(vs);
    List<VirtualService> members = members(context.getPrimaryCache(), vs, namespace, group);
    Map<String, VirtualServiceVerdict> verdicts =
        GroupAdmission.judge(members, new CachedNamespaceView(context, namespace), compiler);
    GroupPublisher.Outcome outcome = publish(context, namespace, group, members, verdicts);
    VirtualServiceVerdict own = verdicts.get(name(vs));

    var status = vs.getStatus();
    Long generation = vs.getMetadata().getGeneration();
    Conditions conditions =
        Conditions.from(status == null ? null : status.conditions(), generation, clock.instant());
    if (own.conflict().isPresent() && own.problems().isEmpty())
      conditions.set(ConditionType.Accepted, false, Reason.PORT_CONFLICT, own.conflict().get());
    else conditions.accepted(own.problems());
    conditions.resolvedRefs(own.references());
    programmed(conditions, own, outcome, group);
    events.transitions(vs, conditions.changes());
    return StatusPatch.of(
        vs, new VirtualServiceStatus(generation, conditions.toList(), null), VirtualService::new);
  }

  @Override
  public DeleteControl cleanup(VirtualService vs, Context<VirtualService> context) {
    String namespace = vs.getMetadata().getNamespace();
    String group = Indexes.group(vs);
    List<VirtualService> members =
        members(context.getPrimaryCache(), vs, namespace, group).stream()
            .filter(m -> !name(m).equals(name(vs)))
            .toList();
    publish(
        context,
        namespace,
        group,
        members,
        GroupAdmission.judge(members, new CachedNamespaceView(context, namespace), compiler));
    return DeleteControl.defaultDelete();
  }

  /** Renders the admitted members into the group's ConfigMap. */
  private GroupPublisher.Outcome publish(
      Context<VirtualService> context,
      String namespace,
      String group,
      List<VirtualService> members,
      Map<String, VirtualServiceVerdict> verdicts) {
    List<VirtualService> admitted =
        members.stream().filter(m -> verdicts.get(name(m)).admitted()).toList();
    return publisher.publish(
        namespace,
        group,
        GroupAdmission.input(admitted, new CachedNamespaceView(context, namespace)),
        currentConfigMap(context, namespace, group));
  }

  private static void programmed(
      Conditions conditions,
      VirtualServiceVerdict own,
      GroupPublisher.Outcome outcome,
      String group) {
    String configMap = GroupPublisher.configMapName(group);
    if (outcome instanceof GroupPublisher.Outcome.Refused refused) {
      conditions.set(
          ConditionType.Programmed,
          false,
          Reason.RENDER_FAILED,
          "The configuration of data-plane group '"
              + group
              + "' was refused, ConfigMap "
              + configMap
              + " keeps the last good one: "
              + String.join("; ", refused.problems()));
    } else if (!own.admitted()) {
      conditions.set(
          ConditionType.Programmed,
          false,
          Reason.PENDING,
          "Not in the configuration of data-plane group '"
              + group
              + "' until Accepted and ResolvedRefs are True.");
    } else {
      var published = (GroupPublisher.Outcome.Published) outcome;
      conditions.set(
          ConditionType.Programmed,
          true,
          Reason.PROGRAMMED,
          "In configuration "
              + published.config().version()
              + " of data-plane group '"
              + group
              + "' (ConfigMap "
              + configMap
              + ").");
    }
  }

  /** The live members of the group, with {@code vs} as given rather than as cached. */
  private static List<VirtualService> members(
      IndexedResourceCache<VirtualService> cache,
      VirtualService vs,
      String namespace,
      String group) {
    List<VirtualService> members =
        new ArrayList<>(
            cache.byIndex(Indexes.VS_BY_GROUP, Indexes.key(namespace, group)).stream()
                .filter(m -> m.getMetadata().getDeletionTimestamp() == null)
                .filter(m -> !name(m).equals(name(vs)))
                .toList());
    if (vs.getMetadata().getDeletionTimestamp() == null) members.add(vs);
    return members;
  }

  @SuppressWarnings("unchecked")
  private static Optional<ConfigMap> currentConfigMap(
      Context<VirtualService> context, String namespace, String group) {
    var configMaps =
        (InformerEventSource<ConfigMap, VirtualService>)
            context.eventSourceRetriever().getEventSourceFor(ConfigMap.class);
    return configMaps.get(new ResourceID(GroupPublisher.configMapName(group), namespace));
  }

  /** The VirtualServices using any of the pools, directly or through a DataScript. */
  private Set<ResourceID> byPool(IndexedResourceCache<VirtualService> services, List<String> keys) {
    Set<ResourceID> ids = new HashSet<>(Watches.ids(services, Indexes.VS_BY_POOL, keys));
    for (String key : keys) {
      for (DataScript script : scripts.byIndex(Indexes.DATASCRIPT_BY_POOL, key))
        ids.addAll(Watches.ids(services, Indexes.VS_BY_DATASCRIPT, script));
    }
    return ids;
  }

  private List<String> poolKeys(String index, HasMetadata secondary) {
    return pools.byIndex(index, Indexes.key(secondary, name(secondary))).stream()
        .map(p -> Indexes.key(p, name(p)))
        .toList();
  }

  /** One VirtualService of the ConfigMap's group: enough to republish it. */
  private static Set<ResourceID> oneOfGroup(
      IndexedResourceCache<VirtualService> services, ConfigMap cm) {
    var labels = cm.getMetadata().getLabels();
    String group = labels == null ? null : labels.get(GroupPublisher.GROUP_LABEL);
    if (group == null) return Set.of();
    return services.byIndex(Indexes.VS_BY_GROUP, Indexes.key(cm, group)).stream()
        .findFirst()
        .map(ResourceID::fromResource)
        .map(Set::of)
        .orElse(Set.of());
  }

  /**
   * The other VirtualServices on the same port of the same group: a change may settle a conflict.
   */
  private static Set<ResourceID> peersOf(
      IndexedResourceCache<VirtualService> services, VirtualService vs) {
    Set<ResourceID> ids = new HashSet<>();
    for (String key : Indexes.vsListener(vs))
      ids.addAll(Watches.ids(services.byIndex(Indexes.VS_BY_LISTENER, key)));
    ids.remove(ResourceID.fromResource(vs));
    return ids;
  }

  private static String name(HasMetadata resource) {
    return resource.getMetadata().getName();
  }
}
