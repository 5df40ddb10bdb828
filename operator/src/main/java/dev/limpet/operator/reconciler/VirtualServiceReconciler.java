package dev.limpet.operator.reconciler;

import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.api.VirtualServiceStatus;
import dev.limpet.operator.decode.SpecProblems;
import dev.limpet.operator.event.EventRecorder;
import dev.limpet.operator.index.CachedNamespaceView;
import dev.limpet.operator.index.Indexes;
import dev.limpet.operator.index.SharedEventSource;
import dev.limpet.operator.index.SharedInformers;
import dev.limpet.operator.render.ExposureService;
import dev.limpet.operator.rollout.DataPlanePods;
import dev.limpet.operator.rollout.ReplicaVersions;
import dev.limpet.operator.status.ConditionType;
import dev.limpet.operator.status.Conditions;
import dev.limpet.operator.status.Reason;
import dev.limpet.operator.validation.CertificateResolution;
import dev.limpet.operator.validation.GroupAdmission;
import dev.limpet.operator.validation.ScriptCompiler;
import dev.limpet.operator.validation.VirtualServiceVerdict;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a VirtualService's verdict within its data-plane group, which {@link GroupOwner} judges
 * and publishes, exposes it through a Service, and reports Accepted, ResolvedRefs and Programmed:
 * True once every ready replica of the group has applied the configuration that contains it. It
 * watches what the group renders from and tells the owner of each change; it has no finalizer (the
 * owner rewrites the group without a VirtualService that went).
 */
@ControllerConfiguration(name = "virtualservice")
public final class VirtualServiceReconciler implements Reconciler<VirtualService> {
  private static final Logger LOG = LoggerFactory.getLogger(VirtualServiceReconciler.class);
  private static final String PEERS = "peers";

  /** How often a VirtualService whose replicas have not all applied its configuration rechecks. */
  static final Duration ROLLOUT_RECHECK = Duration.ofSeconds(1);

  private final GroupOwner owner;
  private final EventRecorder events;
  private final SpecProblems unreadable;
  private final ScriptCompiler compiler;
  private final Clock clock;
  private final ReplicaVersions replicas;
  private IndexerResourceCache<VirtualService> services;
  private final SharedInformers shared;
  private SharedEventSource<Pool, VirtualService> pools;
  private SharedEventSource<DataScript, VirtualService> scripts;
  private SharedEventSource<Pod, VirtualService> pods;

  public VirtualServiceReconciler(
      KubernetesClient client,
      SharedInformers shared,
      SpecProblems unreadable,
      EventRecorder events,
      ScriptCompiler compiler,
      Clock clock,
      ReplicaVersions replicas) {
    this.shared = shared;
    this.owner = new GroupOwner(client, shared, compiler, clock);
    this.events = events;
    this.unreadable = unreadable;
    this.compiler = compiler;
    this.clock = clock;
    this.replicas = replicas;
  }

  @Override
  public List<EventSource<?, VirtualService>> prepareEventSources(
      EventSourceContext<VirtualService> context) {
    // the VirtualServices' one informer, indexed, for every user of the kind
    var primary = shared.kind(VirtualService.class).fromPrimary(context);
    services = context.getPrimaryCache();
    owner.watch(services);
    pools =
        Watches.specInformer(
            shared, Pool.class, pool -> changed(byPool(List.of(Indexes.key(pool, name(pool))))));
    scripts =
        Watches.specInformer(
            shared,
            DataScript.class,
            script -> changed(Watches.ids(services, Indexes.VS_BY_DATASCRIPT, script)));
    SharedEventSource<PersistenceProfile, VirtualService> profiles =
        Watches.specInformer(
            shared,
            PersistenceProfile.class,
            p -> changed(byPool(poolKeys(Indexes.POOL_BY_PROFILE, p))));
    SharedEventSource<Service, VirtualService> kubeServices =
        Watches.informer(shared, Service.class, this::serviceConcerns);
    SharedEventSource<EndpointSlice, VirtualService> slices =
        Watches.informer(
            shared,
            EndpointSlice.class,
            slice ->
                changed(
                    byPool(
                        CachedNamespaceView.sliceService(slice).stream()
                            .flatMap(k -> pools.byIndex(Indexes.POOL_BY_SERVICE, k).stream())
                            .map(p -> Indexes.key(p, name(p)))
                            .toList())));
    var configMaps = groupObjects(ConfigMap.class, "groupConfigMaps", context);
    // every spec change of a VirtualService changes its group, and may settle a conflict of the
    // others on its port: the primary informer's changes, passed on by the kind's relay, mapped
    // to the peers (JOSDK's own handling of them reconciles only the changed one)
    SharedEventSource<VirtualService, VirtualService> peers =
        new SharedEventSource<>(
            shared.kind(VirtualService.class),
            PEERS,
            vs -> {
              owner.changed(vs.getMetadata().getNamespace(), Indexes.group(vs));
              return peersOf(vs);
            },
            (next, previous) ->
                !Objects.equals(
                        next.getMetadata().getGeneration(), previous.getMetadata().getGeneration())
                    || !Objects.equals(
                        next.getMetadata().getDeletionTimestamp(),
                        previous.getMetadata().getDeletionTimestamp()));
    // every pod: the data-plane replicas of each group, and the labels PodLabel pools read
    pods =
        Watches.informer(
            shared,
            Pod.class,
            pod -> {
              Set<ResourceID> ids =
                  new HashSet<>(Watches.ids(services, Indexes.VS_BY_GROUP, podGroup(pod)));
              ids.addAll(
                  changed(
                      byPool(
                          Watches.podLabelPools(pod, slices, pools).stream()
                              .map(p -> Indexes.key(p, name(p)))
                              .toList())));
              return ids;
            });
    // certificate Secrets: only type kubernetes.io/tls is listed, so other Secrets stay uncached
    var tlsSecrets =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Secret.class, VirtualService.class)
                .withName(CachedNamespaceView.TLS_SECRETS)
                .withNamespacesInheritedFromController()
                .withFieldSelector(
                    new FieldSelector(
                        List.of(new FieldSelector.Field("type", CertificateResolution.TLS_TYPE))))
                .withSecondaryToPrimaryMapper(
                    secret -> changed(Watches.ids(services, Indexes.VS_BY_SECRET, secret)))
                .build(),
            context);
    // crypto-key Secrets of DataScripts: only those labelled for it are listed
    SharedEventSource<Secret, VirtualService> keySecrets =
        new SharedEventSource<>(
            shared.kind(Secret.class),
            CachedNamespaceView.KEY_SECRETS,
            secret ->
                changed(
                    scripts
                        .byIndex(
                            Indexes.DATASCRIPT_BY_SECRET,
                            Indexes.key(secret, secret.getMetadata().getName()))
                        .stream()
                        .flatMap(
                            script ->
                                Watches.ids(services, Indexes.VS_BY_DATASCRIPT, script).stream())
                        .collect(Collectors.toSet())));
    // the groups' own TLS Secrets: the last good certificates, and edits to undo
    var groupSecrets = groupObjects(Secret.class, CachedNamespaceView.GROUP_SECRETS, context);
    return List.of(
        primary,
        pools,
        scripts,
        profiles,
        kubeServices,
        slices,
        configMaps,
        peers,
        pods,
        tlsSecrets,
        keySecrets,
        groupSecrets);
  }

  /**
   * An informer on what the owner writes for each group (its ConfigMap, its TLS Secret): a change
   * of one that the owner did not write itself (an edit, a deletion) republishes the group; no
   * VirtualService is reconciled for it.
   */
  private <R extends HasMetadata> InformerEventSource<R, VirtualService> groupObjects(
      Class<R> type, String name, EventSourceContext<VirtualService> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(type, VirtualService.class)
            .withName(name)
            .withNamespacesInheritedFromController()
            .withLabelSelector(GroupPublisher.MANAGED_BY_LABEL + "=" + GroupPublisher.MANAGED_BY)
            .withOnUpdateFilter((next, previous) -> !owner.publisher().wrote(next))
            .withSecondaryToPrimaryMapper(this::republish)
            .build(),
        context);
  }

  @Override
  public UpdateControl<VirtualService> reconcile(VirtualService vs, Context<VirtualService> context)
      throws InterruptedException {
    LOG.debug("reconciling {}", vs.getMetadata().getName());
    String namespace = vs.getMetadata().getNamespace();
    String group = Indexes.group(vs);
    var sources = context.eventSourceRetriever();
    owner.readFrom(sources);
    GroupOwner.Publication publication = owner.publicationWith(vs);
    VirtualServiceVerdict own =
        Optional.ofNullable(publication.verdicts().get(name(vs)))
            .orElseGet(
                () ->
                    GroupAdmission.judge(
                            List.of(vs),
                            new CachedNamespaceView(context, namespace),
                            compiler,
                            clock.instant())
                        .get(name(vs)));

    var status = vs.getStatus();
    Long generation = vs.getMetadata().getGeneration();
    Conditions conditions =
        Conditions.from(status == null ? null : status.conditions(), generation, clock.instant());
    if (own.conflict().isPresent() && own.problems().isEmpty())
      conditions.set(ConditionType.Accepted, false, Reason.PORT_CONFLICT, own.conflict().get());
    else conditions.accepted(own.problems());
    conditions.resolvedRefs(own.allReferences());
    unreadable.of(vs).ifPresent(conditions::unreadable);
    // each write waits on the check: a stopped cache reads as empty, which would withdraw Services
    if (Watches.stopped(sources, shared)) return UpdateControl.noUpdate();
    Optional<String> address =
        expose(vs, own, new CachedNamespaceView(context, namespace), context);
    boolean applying = programmed(conditions, own, publication.outcome(), namespace, group);
    if (Watches.stopped(sources, shared)) return UpdateControl.noUpdate();
    events.transitions(vs, conditions.changes());
    UpdateControl<VirtualService> update =
        StatusPatch.of(
            vs,
            new VirtualServiceStatus(generation, conditions.toList(), address.orElse(null)),
            VirtualService::new);
    return applying ? update.rescheduleAfter(ROLLOUT_RECHECK) : update;
  }

  /** Exposes an admitted VirtualService, withdraws the Service of one that is not; its address. */
  private static Optional<String> expose(
      VirtualService vs,
      VirtualServiceVerdict own,
      CachedNamespaceView view,
      Context<VirtualService> context) {
    ServiceExposure exposure = new ServiceExposure(context.getClient());
    if (own.admitted()) return exposure.apply(vs, view);
    exposure.withdraw(vs, view);
    return Optional.empty();
  }

  /** Reports a change of a render input to the groups of {@code ids}; returns them. */
  private Set<ResourceID> changed(Set<ResourceID> ids) {
    for (ResourceID id : ids)
      services
          .get(id)
          .ifPresent(vs -> owner.changed(vs.getMetadata().getNamespace(), Indexes.group(vs)));
    return ids;
  }

  /**
   * Sets Programmed; true while the group's replicas are still applying the configuration, which no
   * event announces, so the caller checks again shortly.
   */
  private boolean programmed(
      Conditions conditions,
      VirtualServiceVerdict own,
      GroupPublisher.Outcome outcome,
      String namespace,
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
      return false;
    }
    if (!own.admitted()) {
      conditions.set(
          ConditionType.Programmed,
          false,
          Reason.PENDING,
          "Not in the configuration of data-plane group '"
              + group
              + "' until Accepted and ResolvedRefs are True.");
      return false;
    }
    var published = (GroupPublisher.Outcome.Published) outcome;
    String version = published.config().version();
    List<DataPlanePods.Replica> ready =
        pods.byIndex(Indexes.POD_BY_GROUP, Indexes.key(namespace, group)).stream()
            .flatMap(p -> DataPlanePods.ready(p).stream())
            .toList();
    if (ready.isEmpty()) {
      conditions.set(
          ConditionType.Programmed,
          false,
          Reason.NO_READY_REPLICAS,
          "Configuration "
              + version
              + " is in ConfigMap "
              + configMap
              + ", but no data-plane replica of group '"
              + group
              + "' is ready (pods labelled "
              + DataPlanePods.selector()
              + ","
              + DataPlanePods.GROUP_LABEL
              + "="
              + group
              + ").");
      return false;
    }
    List<String> lagging = new ArrayList<>();
    // an answer asked before the configuration was written cannot tell whether it is applied
    Map<DataPlanePods.Replica, Optional<String>> applied =
        replicas.of(ready, published.writtenAtNanos());
    applied.forEach(
        (replica, at) -> {
          if (!at.equals(Optional.of(version)))
            lagging.add(replica.pod() + at.map(v -> " (at " + v + ")").orElse(" (no answer)"));
        });
    boolean answerless = applied.values().stream().anyMatch(Optional::isEmpty);
    if (lagging.isEmpty()) {
      conditions.set(
          ConditionType.Programmed,
          true,
          Reason.PROGRAMMED,
          "Configuration "
              + version
              + " (ConfigMap "
              + configMap
              + ") is applied by every ready replica of data-plane group '"
              + group
              + "' ("
              + ready.size()
              + ").");
      return false;
    }
    String progress =
        (ready.size() - lagging.size())
            + " of "
            + ready.size()
            + " ready replicas of data-plane group '"
            + group
            + "' apply configuration "
            + version
            + "; waiting for "
            + String.join(", ", lagging)
            + ".";
    // a replica that is behind still serves the configuration it applied, which held this
    // VirtualService when it was last Programmed: Ready stays True through a rollout
    boolean served = conditions.wasTrue(ConditionType.Programmed) && !answerless;
    conditions.set(
        ConditionType.Programmed,
        served,
        Reason.APPLYING,
        served ? "Served by every ready replica; " + progress : progress);
    return true;
  }

  /** The VirtualServices using any of the pools, directly or through a DataScript. */
  private Set<ResourceID> byPool(List<String> keys) {
    // an informer may deliver events before these have listed; the first reconciles read them
    if (!pools.isRunning() || !scripts.isRunning()) return new HashSet<>();
    Set<ResourceID> ids = new HashSet<>(Watches.ids(services, Indexes.VS_BY_POOL, keys));
    for (String key : keys) {
      for (DataScript script : scripts.byIndex(Indexes.DATASCRIPT_BY_POOL, key))
        ids.addAll(Watches.ids(services, Indexes.VS_BY_DATASCRIPT, script));
    }
    return ids;
  }

  private List<String> poolKeys(String index, HasMetadata secondary) {
    if (!pools.isRunning()) return List.of();
    return pools.byIndex(index, Indexes.key(secondary, name(secondary))).stream()
        .map(p -> Indexes.key(p, name(p)))
        .toList();
  }

  /** A Service concerns the pools that take endpoints from it, or the VirtualService it exposes. */
  private Set<ResourceID> serviceConcerns(Service service) {
    Set<ResourceID> ids = changed(byPool(poolKeys(Indexes.POOL_BY_SERVICE, service)));
    var labels = service.getMetadata().getLabels();
    String exposed = labels == null ? null : labels.get(ExposureService.VIRTUAL_SERVICE_LABEL);
    if (exposed != null) ids.add(new ResourceID(exposed, service.getMetadata().getNamespace()));
    return ids;
  }

  /** The group a ConfigMap or Secret is for is republished; no VirtualService reconciles. */
  private Set<ResourceID> republish(HasMetadata object) {
    var labels = object.getMetadata().getLabels();
    String group = labels == null ? null : labels.get(GroupPublisher.GROUP_LABEL);
    if (group != null) owner.changed(object.getMetadata().getNamespace(), group);
    return Set.of();
  }

  /**
   * The other VirtualServices on the same port of the same group: a change may settle a conflict.
   */
  private Set<ResourceID> peersOf(VirtualService vs) {
    Set<ResourceID> ids = new HashSet<>();
    for (String key : Indexes.vsListener(vs))
      ids.addAll(Watches.ids(services.byIndex(Indexes.VS_BY_LISTENER, key)));
    ids.remove(ResourceID.fromResource(vs));
    return ids;
  }

  private static List<String> podGroup(Pod pod) {
    return DataPlanePods.group(pod).map(g -> List.of(Indexes.key(pod, g))).orElse(List.of());
  }

  private static String name(HasMetadata resource) {
    return resource.getMetadata().getName();
  }
}
