package dev.limpet.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.validation.ContractScriptCompiler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The time from creating 1,000 VirtualServices, each with its own Pool and PersistenceProfile, to
 * all of them Programmed (applied by the group's one data-plane replica, which follows the
 * ConfigMap). Against the fabric8 mock API server, so it measures the operator plus that server.
 * Off by default; run with
 *
 * <pre>
 * mvn -B -o test -pl operator -am -Dtest=ThousandVirtualServicesBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dlimpet.benchmark=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "limpet.benchmark", matches = "true")
@EnableKubernetesMockClient(crud = true)
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class ThousandVirtualServicesBenchmark {
  private static final int COUNT = Integer.getInteger("limpet.benchmark.count", 1000);
  private static final int CREATORS = 8;
  KubernetesClient client;
  io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server;

  @Test
  void thousandVirtualServicesToAllProgrammed() throws Exception {
    try (var operator = new RunningOperator(client, new ContractScriptCompiler())) {
      ExecutorService creators = Executors.newFixedThreadPool(CREATORS);
      long start = System.nanoTime();
      List<Future<?>> created = new ArrayList<>();
      for (int i = 0; i < COUNT; i++) {
        int n = i;
        created.add(creators.submit(() -> createTrio(operator, n)));
      }
      for (Future<?> f : created) f.get(5, TimeUnit.MINUTES);
      long createdAt = System.nanoTime();
      creators.shutdown();

      await()
          .atMost(Duration.ofMinutes(15))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> programmed() == COUNT);
      long done = System.nanoTime();

      String report =
          String.format(
              "%d VirtualServices (+%d Pools, +%d PersistenceProfiles): created in %.1f s, all"
                  + " Programmed after %.1f s from the first create",
              COUNT, COUNT, COUNT, (createdAt - start) / 1e9, (done - start) / 1e9);
      System.out.println("BENCHMARK " + report);
      var tally = new java.util.TreeMap<String, Integer>();
      for (var r = server.takeRequest(10, TimeUnit.MILLISECONDS);
          r != null;
          r = server.takeRequest(10, TimeUnit.MILLISECONDS))
        ApiCall.of(r.getMethod(), r.getPath())
            .ifPresent(c -> tally.merge(c.verb() + " " + c.resource(), 1, Integer::sum));
      System.out.println("REQUESTS " + tally);
      assertThat(programmed()).isEqualTo(COUNT);
    }
  }

  private static void createTrio(RunningOperator operator, int n) {
    PersistenceProfile profile = TestResources.cookieProfile("profile-" + n);
    HasMetadata pool =
        TestResources.staticPool(
            "pool-" + n, "profile-" + n, "10.1." + (n / 250) + "." + (n % 250 + 1));
    VirtualService vs = TestResources.virtualService("vs-" + n, 10000 + n, "pool-" + n);
    operator.create(profile);
    operator.create(pool);
    operator.create(vs);
  }

  private long programmed() {
    return client
        .resources(VirtualService.class)
        .inNamespace(TestResources.NS)
        .list()
        .getItems()
        .stream()
        .filter(vs -> vs.getStatus() != null && vs.getStatus().conditions() != null)
        .filter(
            vs ->
                vs.getStatus().conditions().stream()
                    .anyMatch(
                        c -> c.getType().equals("Programmed") && c.getStatus().equals("True")))
        .count();
  }
}
