package dev.limpet.operator.reconciler;

import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.index.CachedNamespaceView;
import dev.limpet.operator.index.GroupSecrets;
import dev.limpet.operator.index.Indexes;
import dev.limpet.operator.index.SharedInformers;
import dev.limpet.operator.render.GroupInput;
import dev.limpet.operator.validation.GroupAdmission;
import dev.limpet.operator.validation.ScriptCompiler;
import dev.limpet.operator.validation.VirtualServiceVerdict;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of each data-plane group's ConfigMap and TLS Secret, level-triggered: whenever
 * something the group renders from changes (a member VirtualService created, edited or deleted, a
 * Pool, DataScript, profile, Service, EndpointSlice or certificate it uses, or the ConfigMap or
 * Secret themselves edited by someone else), it judges the group's live members from the caches and
 * publishes the admitted ones (see {@link GroupBatches}). A VirtualService that goes is left out of
 * the next render, so it needs no finalizer: the owner rewrites the shared ConfigMap without it.
 * The VirtualService reconciler only reads the publication and reports.
 */
final class GroupOwner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupOwner.class);

  /**
   * The finalizer VirtualServices carried before the group had an owner of its own; the owner
   * removes it from a VirtualService being deleted once its group is published without it.
   */
  static final String LEGACY_FINALIZER = "virtualservices.limpet.dev/finalizer";

  /**
   * A group's verdicts and what its publication did.
   *
   * @param generations the generation of each member the render saw
   */
  record Publication(
      Map<String, VirtualServiceVerdict> verdicts,
      GroupPublisher.Outcome outcome,
      Map<String, Long> generations) {

    /** Whether the render saw {@code vs}'s current spec. */
    boolean saw(VirtualService vs) {
      Long seen = generations.get(vs.getMetadata().getName());
      return seen != null && seen.equals(vs.getMetadata().getGeneration());
    }
  }

  private final KubernetesClient client;
  private final SharedInformers shared;
  private final GroupPublisher publisher;
  private final ScriptCompiler compiler;
  private final Clock clock;
  private final GroupBatches<Publication> batches;

  /** What each group's last renders judged; only its render thread uses a group's. */
  private final GroupJudgements judgements = new GroupJudgements();

  private volatile IndexerResourceCache<VirtualService> services;
  private volatile EventSourceRetriever<VirtualService> sources;

  GroupOwner(
      KubernetesClient client, SharedInformers shared, ScriptCompiler compiler, Clock clock) {
    this.client = client;
    this.shared = shared;
    this.publisher = new GroupPublisher(client);
    this.compiler = compiler;
    this.clock = clock;
    this.batches =
        new GroupBatches<>(
            Duration.ofMillis(20),
            Duration.ofSeconds(60),
            this::render,
            () -> sources != null && Watches.stopped(sources, shared));
  }

  GroupPublisher publisher() {
    return publisher;
  }

  /** The VirtualServices, indexed by group ({@link Indexes#VS_BY_GROUP}). */
  void watch(IndexerResourceCache<VirtualService> services) {
    this.services = services;
  }

  /**
   * The caches renders read, as a reconcile sees them. Until the first reconcile hands them over,
   * changes are not pushed: nothing was rendered yet, so the first reconcile of a group renders it.
   * This also keeps a replica that does not hold the Lease silent: its informers run (and their
   * mappers report changes), but it never reconciles; one that loses the Lease exits.
   */
  void readFrom(EventSourceRetriever<VirtualService> sources) {
    if (this.sources == null) this.sources = sources;
  }

  /** Something {@code group} of {@code namespace} renders from changed: it is rendered again. */
  void changed(String namespace, String group) {
    if (sources != null) batches.changed(Indexes.key(namespace, group));
  }

  /** The group's publication from a render that saw every change reported so far. */
  Publication publication(String namespace, String group) throws InterruptedException {
    return batches.await(Indexes.key(namespace, group));
  }

  /** A publication that saw {@code vs} as it is (the informers may report it in either order). */
  Publication publicationWith(VirtualService vs) throws InterruptedException {
    String namespace = vs.getMetadata().getNamespace();
    String group = Indexes.group(vs);
    Publication publication = publication(namespace, group);
    if (!publication.saw(vs)) {
      batches.changed(Indexes.key(namespace, group));
      publication = publication(namespace, group);
    }
    return publication;
  }

  /** Judges every live member of the group and publishes the admitted ones. */
  private Publication render(String key) {
    int slash = key.indexOf('/');
    String namespace = key.substring(0, slash);
    String group = key.substring(slash + 1);
    EventSourceRetriever<VirtualService> sources = this.sources;
    long start = System.nanoTime();
    List<VirtualService> all = services.byIndex(Indexes.VS_BY_GROUP, key);
    List<VirtualService> members =
        all.stream().filter(m -> m.getMetadata().getDeletionTimestamp() == null).toList();
    var view = new CachedNamespaceView(sources, namespace);
    var memo = judgements.begin(key, members.size());
    Map<String, VirtualServiceVerdict> verdicts =
        GroupAdmission.judge(members, view, compiler, clock.instant(), memo);
    List<VirtualService> admitted =
        members.stream().filter(m -> verdicts.get(m.getMetadata().getName()).admitted()).toList();
    GroupInput input = GroupAdmission.input(admitted, verdicts, view, memo);
    memo.end();
    Optional<ConfigMap> configMap = cached(sources, ConfigMap.class, null, configMapId(key));
    Optional<Secret> secret =
        cached(
            sources,
            Secret.class,
            CachedNamespaceView.GROUP_SECRETS,
            new ResourceID(GroupSecrets.name(group), namespace));
    if (Watches.stopped(sources, shared))
      throw new IllegalStateException(
          "the operator is stopping: data-plane group " + group + " is not published");
    long judged = System.nanoTime();
    var outcome = publisher.publish(namespace, group, input, configMap, secret);
    LOG.debug(
        "judged {} members of {} in {} ms, published in {} ms",
        members.size(),
        key,
        (judged - start) / 1_000_000,
        (System.nanoTime() - judged) / 1_000_000);
    if (outcome instanceof GroupPublisher.Outcome.Published)
      all.stream()
          .filter(m -> m.getMetadata().getDeletionTimestamp() != null)
          .filter(m -> m.getMetadata().getFinalizers().contains(LEGACY_FINALIZER))
          .forEach(this::releaseLegacy);
    Map<String, Long> generations = new HashMap<>();
    for (VirtualService m : members)
      generations.put(m.getMetadata().getName(), m.getMetadata().getGeneration());
    return new Publication(verdicts, outcome, generations);
  }

  /** Removes the finalizer of an older operator from a VirtualService its group no longer holds. */
  private void releaseLegacy(VirtualService vs) {
    try {
      client
          .resources(VirtualService.class)
          .inNamespace(vs.getMetadata().getNamespace())
          .withName(vs.getMetadata().getName())
          .edit(
              v -> {
                v.getMetadata().getFinalizers().remove(LEGACY_FINALIZER);
                return v;
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) throw e;
    }
  }

  private static ResourceID configMapId(String key) {
    int slash = key.indexOf('/');
    return new ResourceID(
        GroupPublisher.configMapName(key.substring(slash + 1)), key.substring(0, slash));
  }

  @SuppressWarnings("unchecked")
  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata> Optional<R> cached(
      EventSourceRetriever<VirtualService> sources, Class<R> type, String name, ResourceID id) {
    var source =
        (InformerEventSource<R, VirtualService>)
            (name == null
                ? sources.getEventSourceFor(type)
                : sources.getEventSourceFor(type, name));
    return source.get(id);
  }

  @Override
  public void close() {
    batches.close();
  }
}
