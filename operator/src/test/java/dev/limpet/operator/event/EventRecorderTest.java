package dev.limpet.operator.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.operator.TestResources;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.status.ConditionType;
import dev.limpet.operator.status.Conditions;
import dev.limpet.operator.status.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One Event per real transition, whatever status a reconcile compared with; none on the happy path.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(30)
class EventRecorderTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  KubernetesClient client;

  private VirtualService vs(String uid) {
    VirtualService vs = TestResources.virtualService("web", 80, "p");
    vs.getMetadata().setUid(uid);
    return vs;
  }

  private static Conditions conflict(List<Condition> previous) {
    return Conditions.from(previous, 1L, NOW)
        .set(ConditionType.Accepted, false, Reason.PORT_CONFLICT, "port 80 is taken")
        .set(ConditionType.Programmed, false, Reason.PENDING, "not in the configuration");
  }

  private static Conditions admitted(List<Condition> previous) {
    return Conditions.from(previous, 1L, NOW)
        .set(ConditionType.Accepted, true, Reason.ACCEPTED, "The spec is valid.")
        .set(ConditionType.Programmed, true, Reason.PROGRAMMED, "applied");
  }

  private List<String> events() {
    return client.v1().events().inNamespace(TestResources.NS).list().getItems().stream()
        .map(e -> e.getType() + " " + e.getReason())
        .toList();
  }

  @Test
  void aTransitionSeenAgainFromAStatusNotYetInTheCacheRecordsOneEvent() {
    EventRecorder recorder = new EventRecorder(client, Clock.systemUTC());
    VirtualService web = vs("uid-1");
    recorder.transitions(web, conflict(null).changes());
    recorder.transitions(web, conflict(null).changes()); // the cache still shows no status

    List<Condition> lost = conflict(null).toList();
    recorder.transitions(web, admitted(lost).changes());
    recorder.transitions(web, admitted(lost).changes());

    assertThat(events()).containsExactlyInAnyOrder("Warning PortConflict", "Normal Ready");
  }

  @Test
  void everyRealTransitionRecordsAgainAndPendingNeverDoes() {
    EventRecorder recorder = new EventRecorder(client, Clock.systemUTC());
    VirtualService web = vs("uid-2");
    List<Condition> lost = conflict(null).toList();
    recorder.transitions(web, conflict(null).changes());
    List<Condition> won = admitted(lost).toList();
    recorder.transitions(web, admitted(lost).changes());
    recorder.transitions(web, conflict(won).changes());

    assertThat(events())
        .containsExactlyInAnyOrder("Warning PortConflict", "Normal Ready", "Warning PortConflict");
    assertThat(client.v1().events().inNamespace(TestResources.NS).list().getItems())
        .extracting(Event::getReason)
        .doesNotContain(Reason.PENDING);
  }

  @Test
  void becomingReadyWithoutAProblemRecordsNothing() {
    EventRecorder recorder = new EventRecorder(client, Clock.systemUTC());
    VirtualService web = vs("uid-5");
    recorder.transitions(web, admitted(null).changes());
    recorder.transitions(web, conflict(admitted(null).toList()).changes());
    recorder.transitions(web, admitted(conflict(admitted(null).toList()).toList()).changes());
    assertThat(events()).containsExactly("Warning PortConflict", "Normal Ready");
  }

  @Test
  void aNewObjectOfTheSameNameStartsAfresh() {
    EventRecorder recorder = new EventRecorder(client, Clock.systemUTC());
    recorder.transitions(vs("uid-3"), conflict(null).changes());
    recorder.transitions(vs("uid-4"), conflict(null).changes());
    assertThat(events()).containsExactly("Warning PortConflict", "Warning PortConflict");
  }
}
