package dev.limpet.operator.reconciler;

import static dev.limpet.operator.RunningOperator.eventually;
import static dev.limpet.operator.TestResources.dataScript;
import static dev.limpet.operator.TestResources.scriptedVirtualService;
import static dev.limpet.operator.TestResources.staticPool;
import static dev.limpet.operator.TestResources.virtualService;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.DataScriptConfig;
import dev.limpet.operator.ApiCall;
import dev.limpet.operator.LimpetOperator;
import dev.limpet.operator.RunningOperator;
import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.validation.ContractScriptCompiler;
import dev.limpet.operator.validation.ScriptCompiler;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A reconcile in flight when the operator stops writes nothing. JOSDK stops and empties the
 * informer caches before the reconciles in flight finish, so what such a reconcile reads after that
 * is an empty world (no Pool, no replica): a status, Event or configuration written from it would
 * be false. The reconciles are held deterministically at a seam that reads come after: the script
 * compiler, which the DataScript reconciler calls before it resolves the script's Pools, and a
 * group render before it resolves the VirtualServices' Pools and publishes the ConfigMap.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(90)
class StoppingOperatorTest {
  private static final String RENDER_THREAD = "group-render";

  KubernetesClient client;
  KubernetesMockServer server;
  private final HeldCompiler compiler = new HeldCompiler();
  private Operator operator;

  @AfterEach
  void release() {
    compiler.release();
    if (operator != null) operator.stop();
  }

  @Test
  void reconcilesInFlightWhenTheOperatorStopsWriteNothing() throws Exception {
    operator =
        LimpetOperator.create(
            ApiCall.operatorClient(client),
            Set.of(),
            compiler,
            Clock.systemUTC(),
            replica -> CompletableFuture.completedFuture(Optional.empty()),
            // as OperatorProcess does: the reconciles in flight may finish (JOSDK's default
            // interrupts them at once, and an interrupted client writes nothing anyway)
            o -> o.withReconciliationTerminationTimeout(Duration.ofSeconds(20)));
    operator.start();
    var api = new RunningOperator(client);
    api.create(staticPool("p", null, "10.0.0.1"));
    api.create(dataScript("route", "return", "p"));
    api.create(scriptedVirtualService("web", 80, "p", "route"));
    eventually()
        .untilAsserted(
            () -> {
              assertThat(status(api, DataScript.class, "route", "ResolvedRefs")).isEqualTo("True");
              assertThat(status(api, DataScript.class, "route", "Ready")).isEqualTo("True");
              assertThat(status(api, VirtualService.class, "web", "Accepted")).isEqualTo("True");
              assertThat(status(api, VirtualService.class, "web", "ResolvedRefs"))
                  .isEqualTo("True");
              assertThat(api.groupConfig("default").orElseThrow()).contains("10.0.0.1");
            });
    String configBefore = api.groupConfig("default").orElseThrow();

    // a script edit: the DataScript reconciles and the group renders, both held in the compiler
    compiler.hold();
    api.edit(
        DataScript.class,
        "route",
        s -> s.setSpec(dataScript("route", "return -- v2", "p").getSpec()));
    eventually()
        .untilAsserted(
            () ->
                assertThat(compiler.held)
                    .contains(RENDER_THREAD)
                    .anyMatch(thread -> !thread.equals(RENDER_THREAD)));
    assertThat(cached("datascript")).isPositive();
    assertThat(cached("virtualservice")).isPositive();
    ApiCall.drain(server);

    Thread stopping = new Thread(operator::stop, "stopping-operator");
    stopping.start();
    // the held reconciles go on once every cache they read from is empty
    eventually().until(() -> cached("datascript") == 0 && cached("virtualservice") == 0);
    assertThat(stopping.isAlive()).as("the stop waits for the held reconciles").isTrue();
    compiler.release();
    stopping.join(Duration.ofSeconds(30).toMillis());
    assertThat(stopping.isAlive()).isFalse();
    operator = null;

    assertThat(ApiCall.drain(server))
        .filteredOn(call -> !call.verb().equals("get") && !call.verb().equals("list"))
        .filteredOn(call -> !call.verb().equals("watch"))
        .isEmpty();
    // what the API holds is what the running operator wrote
    assertThat(status(api, DataScript.class, "route", "ResolvedRefs")).isEqualTo("True");
    assertThat(status(api, VirtualService.class, "web", "ResolvedRefs")).isEqualTo("True");
    assertThat(api.events("route")).noneMatch(e -> "Warning".equals(e.getType()));
    assertThat(api.groupConfig("default")).contains(configBefore);
  }

  /**
   * The controllers stop one by one, and each custom-resource kind's cache is its own controller's
   * primary informer: once the Pool controller stopped, the Pools read empty for every controller.
   * A VirtualService reconcile then (its own primary informer still running) must write nothing: no
   * ResolvedRefs=False for a Pool that exists, no group published without it.
   */
  @Test
  void aReconcileAfterAnotherKindsControllerStoppedWritesNothing() throws Exception {
    Map<String, Integer> finished = new ConcurrentHashMap<>();
    operator =
        LimpetOperator.create(
            ApiCall.operatorClient(client),
            Set.of(),
            new ContractScriptCompiler(),
            Clock.systemUTC(),
            replica -> CompletableFuture.completedFuture(Optional.empty()),
            o ->
                o.withMetrics(
                    new Metrics() {
                      @Override
                      public void reconciliationExecutionFinished(
                          HasMetadata resource, Map<String, Object> metadata) {
                        finished.merge(
                            resource.getKind() + "/" + resource.getMetadata().getName(),
                            1,
                            Integer::sum);
                      }
                    }));
    operator.start();
    var api = new RunningOperator(client);
    api.create(staticPool("p", null, "10.0.0.1"));
    api.create(virtualService("web", 80, "p"));
    eventually()
        .untilAsserted(
            () -> {
              assertThat(status(api, VirtualService.class, "web", "ResolvedRefs"))
                  .isEqualTo("True");
              assertThat(api.groupConfig("default").orElseThrow()).contains("10.0.0.1");
            });
    String configBefore = api.groupConfig("default").orElseThrow();

    // the Pool controller stops first (as it may when the operator stops): its primary informer,
    // the one Pool cache, is emptied; the VirtualService controller still runs
    ((Controller<?>) operator.getRegisteredController("pool").orElseThrow()).stop();
    ApiCall.drain(server);
    int before = finished.getOrDefault("VirtualService/web", 0);
    api.edit(
        VirtualService.class, "web", vs -> vs.setSpec(virtualService("web", 81, "p").getSpec()));
    eventually().until(() -> finished.getOrDefault("VirtualService/web", 0) > before);

    assertThat(ApiCall.drain(server))
        .filteredOn(call -> !call.verb().equals("get") && !call.verb().equals("list"))
        .filteredOn(call -> !call.verb().equals("watch"))
        .isEmpty();
    assertThat(status(api, VirtualService.class, "web", "ResolvedRefs")).isEqualTo("True");
    assertThat(api.groupConfig("default")).contains(configBefore);
  }

  /** How many objects the informers of one controller hold: 0 once a stop emptied them. */
  private long cached(String controller) {
    return operator
        .getRegisteredController(controller)
        .orElseThrow()
        .getControllerHealthInfo()
        .informerEventSourceHealthIndicators()
        .values()
        .stream()
        .mapToLong(source -> ((Cache<?>) source).list().count())
        .sum();
  }

  private static String status(
      RunningOperator api,
      Class<? extends io.fabric8.kubernetes.client.CustomResource<?, ?>> type,
      String name,
      String condition) {
    return api.condition(type, name, condition).map(Condition::getStatus).orElse(null);
  }

  /** The data plane's compiler; while held, every call waits until released (bounded). */
  private static final class HeldCompiler implements ScriptCompiler {
    private final ScriptCompiler compiler = new ContractScriptCompiler();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean holding;

    /** The threads waiting in the compiler. */
    final Set<String> held = ConcurrentHashMap.newKeySet();

    void hold() {
      holding = true;
    }

    void release() {
      holding = false;
      released.countDown();
    }

    @Override
    public Optional<String> firstError(DataScriptConfig script) {
      if (holding) {
        held.add(Thread.currentThread().getName());
        try {
          released.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return compiler.firstError(script);
    }
  }
}
