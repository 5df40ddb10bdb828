package dev.limpet.operator.event;

import dev.limpet.operator.status.ConditionChange;
import dev.limpet.operator.status.ConditionType;
import dev.limpet.operator.status.Reason;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events on problems only: a Warning for each condition that became False,
 * naming why, and one Normal {@code Ready} when a resource that had a Warning became ready again.
 * The happy path records nothing (a resource that becomes ready without a problem says so in its
 * conditions; 1,000 of them would cost 1,000 writes). Programmed going False while replicas apply a
 * new configuration (reason Applying) is progress, not a problem, and records nothing; nor does
 * Programmed False for Pending, which only follows the Accepted or ResolvedRefs Warning that says
 * why.
 *
 * <p>A reconcile may start before the status patched by the previous one reached the informer
 * cache, and so report the same transition again; the recorder remembers the last status it saw
 * each condition of each object change to (by uid, for the most recent objects) and records a
 * transition only once. An Event that cannot be written is logged, never fatal: Events are a
 * courtesy, the conditions are the record.
 */
public final class EventRecorder {
  public static final String COMPONENT = "limpet-operator";
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  /** Objects whose transitions are remembered; beyond, the least recent is forgotten. */
  private static final int REMEMBERED_OBJECTS = 10_000;

  private final KubernetesClient client;
  private final Clock clock;

  /** The key under which a resource's Warning is remembered until it is ready again. */
  private static final String WARNED = "";

  /**
   * uid → condition type → the status it last changed to; {@link #WARNED} → "True" after a Warning.
   */
  private final Map<String, Map<String, String>> lastChanges =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, String>> eldest) {
          return size() > REMEMBERED_OBJECTS;
        }
      };

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** The Events for one reconcile's changes. */
  public void transitions(HasMetadata resource, List<ConditionChange> changes) {
    for (ConditionChange change : firstSeen(resource, changes)) {
      var c = change.condition();
      boolean ready = ConditionType.Ready.name().equals(c.getType());
      if (change.isTrue()) {
        if (ready && recovered(resource)) record(resource, "Normal", c.getReason(), c.getMessage());
      } else if (!ready
          && !Reason.APPLYING.equals(c.getReason())
          && !Reason.PENDING.equals(c.getReason())) {
        warned(resource);
        record(resource, "Warning", c.getReason(), c.getMessage());
      }
    }
  }

  private synchronized void warned(HasMetadata resource) {
    String uid = resource.getMetadata().getUid();
    if (uid != null) lastChanges.computeIfAbsent(uid, u -> new HashMap<>()).put(WARNED, "True");
  }

  /** Whether a Warning was recorded for {@code resource} since it was last ready; forgets it. */
  private synchronized boolean recovered(HasMetadata resource) {
    String uid = resource.getMetadata().getUid();
    Map<String, String> last = uid == null ? null : lastChanges.get(uid);
    return last != null && last.remove(WARNED) != null;
  }

  /** The changes not already reported for this object (by a reconcile that read a stale status). */
  private synchronized List<ConditionChange> firstSeen(
      HasMetadata resource, List<ConditionChange> changes) {
    String uid = resource.getMetadata().getUid();
    if (uid == null) return changes;
    Map<String, String> last = lastChanges.computeIfAbsent(uid, u -> new HashMap<>());
    List<ConditionChange> fresh = new ArrayList<>();
    for (ConditionChange change : changes) {
      var c = change.condition();
      if (!c.getStatus().equals(last.put(c.getType(), c.getStatus()))) fresh.add(change);
    }
    return fresh;
  }

  public void record(HasMetadata resource, String type, String reason, String message) {
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    var meta = resource.getMetadata();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(meta.getName() + "." + UUID.randomUUID().toString().substring(0, 8))
            .withNamespace(meta.getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(resource.getApiVersion())
                    .withKind(resource.getKind())
                    .withName(meta.getName())
                    .withNamespace(meta.getNamespace())
                    .withUid(meta.getUid())
                    .withResourceVersion(meta.getResourceVersion())
                    .build())
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withCount(1)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .build();
    try {
      client.v1().events().inNamespace(meta.getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn("could not record event {} for {}: {}", reason, meta.getName(), e.getMessage());
    }
  }
}
