package dev.limpet.operator;

import static java.util.stream.Collectors.joining;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
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
 * ConfigMap), then the publish latency of single changes to that large group, and the memory the
 * operator needs for them. The operator runs as its own JVM from its shaded jar with the chart's
 * JVM options and container limits ({@link ChartOperatorJvm}), so the resident set measured is that
 * process's alone. Against the fabric8 mock API server. Off by default; run with (the count is
 * optional)
 *
 * <pre>
 * mvn -B -o package -DskipTests -pl operator -am
 * mvn -B -o test -pl operator -am -Dtest=ThousandVirtualServicesBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dlimpet.benchmark=true -Dlimpet.benchmark.count=1000
 * </pre>
 *
 * With {@code -Dlimpet.benchmark.diagnostics=true} it also prints where the memory goes: the heap's
 * class histogram and native memory tracking (this adds {@code -XX:NativeMemoryTracking=summary},
 * which costs a few MiB itself).
 */
@EnabledIfSystemProperty(named = "limpet.benchmark", matches = "true")
@EnableKubernetesMockClient(crud = true, https = false)
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class ThousandVirtualServicesBenchmark {
  private static final int COUNT = Integer.getInteger("limpet.benchmark.count", 1000);
  private static final int CREATORS = 8;
  private static final int SINGLE_CHANGES = 10;
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  // the mock server logs every request it answers (through java.util.logging); held so it stays set
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
  KubernetesClient client;
  KubernetesMockServer server;

  @Test
  void thousandVirtualServicesToAllProgrammed() throws Exception {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    ChartOperatorJvm chart = ChartOperatorJvm.read(REPO);
    System.out.println(
        "OPERATOR JVM " + chart.environment() + " " + String.join(" ", chart.containerFlags()));
    var operator = new RunningOperator(client);
    try (var replica =
            new FakeDataPlane(client, TestResources.NS, "default", "dataplane-0", "127.0.0.2");
        var process =
            OperatorJvm.start(
                REPO.resolve("operator/target/limpet-operator.jar"),
                chart,
                server,
                client.getConfiguration().getMasterUrl(),
                REPO.resolve("operator/target/benchmark-operator.log"));
        var memory = new ProcessMemory(process.pid())) {
      await().atMost(Duration.ofMinutes(1)).until(process::ready);
      System.out.println("MEMORY at start, before any resource: " + memory.report());

      apiRequests(); // those of the start are not counted
      Duration cpuAtStart = memory.cpuTime();
      long apiCpuAtStart = thisProcessCpuNanos();
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
          .until(() -> programmed() == COUNT || !process.alive());
      long done = System.nanoTime();
      assertThat(process.alive())
          .as("the operator process is alive (no OutOfMemoryError)")
          .isTrue();

      System.out.printf(
          "BENCHMARK %d VirtualServices (+%d Pools, +%d PersistenceProfiles): created in %.1f s,"
              + " all Programmed after %.1f s from the first create, %.1f s after the last;"
              + " CPU time: operator %.1f s, mock API server and test %.1f s%n",
          COUNT,
          COUNT,
          COUNT,
          (createdAt - start) / 1e9,
          (done - start) / 1e9,
          (done - createdAt) / 1e9,
          memory.cpuTime().minus(cpuAtStart).toMillis() / 1e3,
          (thisProcessCpuNanos() - apiCpuAtStart) / 1e9);
      System.out.println("API requests by verb and path (digits as #): " + apiRequests());
      System.out.println("OPERATOR " + operatorLogCounts());
      System.out.println(
          "OPERATOR CPU s by live thread (digits as #): " + cpuByThread(process.pid()));
      ProcessMemory.Report used = memory.report();
      System.out.println("MEMORY with " + COUNT + " VirtualServices: " + used);
      if (Boolean.getBoolean("limpet.benchmark.diagnostics")) {
        System.out.println(
            memory.diagnostic("gcClassHistogram").lines().limit(25).collect(joining("\n")));
        System.out.println(memory.diagnostic("vmNativeMemory", "summary"));
        String threads = memory.diagnostic("threadPrint");
        java.nio.file.Files.writeString(
            REPO.resolve("operator/target/benchmark-threads.txt"), threads);
        System.out.println("threads by name: " + threadsByName(threads));
      }
      assertThat(programmed()).isEqualTo(COUNT);
      System.out.println(
          "PUBLISH LATENCY of one new VirtualService beside the "
              + COUNT
              + " (create to Programmed, ms, "
              + SINGLE_CHANGES
              + " one after another): "
              + publishLatencies(operator));
      if (COUNT <= 1000)
        assertThat(Duration.ofNanos(done - createdAt))
            .as("issue 12's goal: every VirtualService Programmed within 10 s of the last create")
            .isLessThan(Duration.ofSeconds(10));
      assertThat(used.peakRssBytes())
          .as("peak RSS within the chart's memory limit (above it the pod is OOM-killed)")
          .isLessThan(chart.memoryLimitBytes());
    }
  }

  /**
   * How long one change takes to reach the data plane once the group is large: {@link
   * #SINGLE_CHANGES} VirtualServices created one at a time (each on an existing Pool), each timed
   * from its create to its {@code Programmed} condition; sorted.
   */
  private List<Long> publishLatencies(RunningOperator operator) {
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < SINGLE_CHANGES; i++) {
      String name = "vs-single-" + i;
      long start = System.nanoTime();
      operator.create(TestResources.virtualService(name, 10000 + COUNT + i, "pool-" + i % COUNT));
      await()
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(10))
          .until(
              () ->
                  operator
                      .condition(VirtualService.class, name, "Programmed")
                      .filter(c -> c.getStatus().equals("True"))
                      .isPresent());
      millis.add((System.nanoTime() - start) / 1_000_000);
    }
    millis.sort(null);
    return millis;
  }

  private static boolean isProgrammed(VirtualService vs) {
    return vs.getStatus() != null
        && vs.getStatus().conditions() != null
        && vs.getStatus().conditions().stream()
            .anyMatch(c -> c.getType().equals("Programmed") && c.getStatus().equals("True"));
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

  /** The requests the mock API server answered since the last call, by verb and path. */
  private java.util.Map<String, Long> apiRequests() throws InterruptedException {
    java.util.Map<String, Long> counts = new java.util.TreeMap<>();
    for (int i = 0; i < 10_000_000; i++) {
      var request = server.takeRequest(0, TimeUnit.MILLISECONDS);
      if (request == null) break;
      String path = request.getPath();
      boolean watch = path.contains("watch=true");
      int query = path.indexOf('?');
      if (query >= 0) path = path.substring(0, query);
      counts.merge(
          request.getMethod() + (watch ? " watch " : " ") + path.replaceAll("[0-9]+", "#"),
          1L,
          Long::sum);
    }
    return counts;
  }

  /**
   * Reconciles and renders, from the operator's DEBUG lines ({@link OperatorJvm} turns them on).
   */
  private static String operatorLogCounts() throws java.io.IOException {
    List<String> log =
        java.nio.file.Files.readAllLines(REPO.resolve("operator/target/benchmark-operator.log"));
    return "VirtualService reconciles "
        + log.stream().filter(l -> l.contains("reconciling vs-")).count()
        + ", group renders "
        + log.stream().filter(l -> l.contains("rendered ")).count();
  }

  /**
   * CPU seconds of the process's live threads (JIT compilers and GC included) by name, from {@code
   * /proc/<pid>/task} (names cut to 15 characters); threads that ended are missing.
   */
  private static java.util.Map<String, Double> cpuByThread(long pid) throws java.io.IOException {
    java.util.Map<String, Double> seconds = new java.util.TreeMap<>();
    try (var tasks = java.nio.file.Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks.toList()) {
        String stat;
        try {
          stat = java.nio.file.Files.readString(task.resolve("stat"));
        } catch (java.io.IOException ended) {
          continue;
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // utime and stime, in clock ticks of 10 ms
        double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        seconds.merge(name.replaceAll("[0-9]+", "#"), cpu, Double::sum);
      }
    }
    seconds.values().removeIf(cpu -> cpu < 0.5);
    return seconds;
  }

  /** How many threads of a thread dump share each name, with digits dropped. */
  private static java.util.Map<String, Long> threadsByName(String dump) {
    return dump.lines()
        .filter(l -> l.startsWith("\""))
        .map(l -> l.substring(1, l.indexOf('"', 1)).replaceAll("[0-9]+", "#"))
        .collect(
            java.util.stream.Collectors.groupingBy(
                n -> n, java.util.TreeMap::new, java.util.stream.Collectors.counting()));
  }

  private static long thisProcessCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private long programmed() {
    return client
        .resources(VirtualService.class)
        .inNamespace(TestResources.NS)
        .list()
        .getItems()
        .stream()
        .filter(ThousandVirtualServicesBenchmark::isProgrammed)
        .count();
  }
}
