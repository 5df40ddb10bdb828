package dev.limpet.operator.reconciler;

import static dev.limpet.operator.TestResources.dataScript;
import static dev.limpet.operator.TestResources.scriptedVirtualService;
import static dev.limpet.operator.TestResources.staticPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.operator.FakeDataPlane;
import dev.limpet.operator.RunningOperator;
import dev.limpet.operator.TestResources;
import dev.limpet.operator.api.DataScript;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A DataScript's status shows how many of its {@code avi.pool.select} calls fell back, summed over
 * the ready data-plane replicas that run it (real HTTP admin endpoints on 127.0.0.x answering
 * {@code /datascripts}), and follows them without writing when nothing changed.
 */
@Timeout(120)
class SelectionFallbackStatusTest extends OperatorOnMockApi {
  private static final Duration POLLS = Duration.ofSeconds(60);

  private Map<String, Long> fallbacks() {
    var status = operator.get(DataScript.class, "route").getStatus();
    return status == null ? null : status.selectionFallbacks();
  }

  @Test
  void theCountsOfEveryReadyReplicaAreSummedByReasonAndFollowed() throws Exception {
    try (var second =
        new FakeDataPlane(client, TestResources.NS, "default", "dataplane-1", "127.0.0.5")) {
      operator
          .replica()
          .dataScripts(
              """
              {"route": {"selectionFallbacks": {"down": 2}, "message": "2 selections fell back (down 2)"},
               "other": {"selectionFallbacks": {"down": 7}, "message": "7 selections fell back (down 7)"}}
              """);
      second.dataScripts(
          """
          {"route": {"selectionFallbacks": {"down": 1, "not_member": 3}, "message": "..."}}
          """);
      operator.create(staticPool("p", null, "10.0.0.1"));
      operator.create(staticPool("canary", null, "10.0.0.9"));
      operator.create(dataScript("route", "avi.pool.select('canary', '10.0.0.8')", "canary"));
      operator.create(scriptedVirtualService("web", 80, "p", "route"));

      await()
          .atMost(POLLS)
          .untilAsserted(
              () -> assertThat(fallbacks()).isEqualTo(Map.of("down", 3L, "not_member", 3L)));

      second.dataScripts(
          """
          {"route": {"selectionFallbacks": {"down": 1, "not_member": 9}, "message": "..."}}
          """);
      await()
          .atMost(POLLS)
          .untilAsserted(
              () -> assertThat(fallbacks()).isEqualTo(Map.of("down", 3L, "not_member", 9L)));

      // polled again with the same answers: the DataScript is not written
      String version = operator.get(DataScript.class, "route").getMetadata().getResourceVersion();
      int asked = second.dataScriptsAsked();
      await().atMost(POLLS).until(() -> second.dataScriptsAsked() >= asked + 2);
      assertThat(operator.get(DataScript.class, "route").getMetadata().getResourceVersion())
          .isEqualTo(version);
    }
  }

  @Test
  void aScriptThatNeverFellBackHasNoCounts() throws Exception {
    operator.create(staticPool("p", null, "10.0.0.1"));
    operator.create(dataScript("route", "avi.pool.select('p')", "p"));
    operator.create(scriptedVirtualService("web", 80, "p", "route"));

    int asked = operator.replica().dataScriptsAsked();
    await().atMost(POLLS).until(() -> operator.replica().dataScriptsAsked() > asked);
    RunningOperator.eventually()
        .untilAsserted(
            () ->
                assertThat(operator.get(DataScript.class, "route").getStatus().conditions())
                    .isNotEmpty());
    assertThat(fallbacks()).isNull();
  }
}
