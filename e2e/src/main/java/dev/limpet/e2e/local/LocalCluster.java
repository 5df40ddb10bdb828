package dev.limpet.e2e.local;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limpet on one machine without a cluster: the embedded API server, the operator and the data-plane
 * replicas as processes, the demo backend, and a loop that plays the kubelet and the controllers a
 * cluster would run for them. The end-to-end tests drive the same thing.
 */
public final class LocalCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);
  private static final Duration KUBELET_PERIOD = Duration.ofMillis(300);

  private final LocalSettings settings;
  private final ApiServer api;
  private final DemoDeployment demo;
  private final DataPlaneReplicas dataPlanes;
  private final OperatorRunner operator;
  private final ScheduledExecutorService kubelet =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "kubelet");
            t.setDaemon(true);
            return t;
          });

  private LocalCluster(LocalSettings settings) throws IOException {
    this.settings = settings;
    this.api = new ApiServer(settings.api());
    this.demo = new DemoDeployment(api.client(), settings);
    this.dataPlanes = new DataPlaneReplicas(api.client(), settings, api.clientEnvironment());
    this.operator = new OperatorRunner(settings, api.clientEnvironment());
  }

  /** Starts everything but applies no example: see {@link #applyExamples}. */
  public static LocalCluster start(LocalSettings settings) throws IOException {
    for (Path jar : new Path[] {settings.operatorJar(), settings.dataPlaneJar()})
      if (!Files.isRegularFile(jar))
        throw new IOException(jar + " is missing: build first (mvn -B -DskipTests package)");
    deleteRecursively(settings.work().resolve("logs"));
    LocalCluster cluster = new LocalCluster(settings);
    try {
      Manifests.apply(cluster.kubernetes(), settings.repo().resolve("crds"));
      cluster.demo.prepare();
      cluster.dataPlanes.start();
      cluster.operator.start();
      cluster.kubelet.scheduleWithFixedDelay(
          cluster::kubeletPass, 0, KUBELET_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
      return cluster;
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** {@code kubectl apply -f} of every folder of examples/, the demo backend first. */
  public void applyExamples() throws IOException {
    for (Path folder : Manifests.exampleFolders(settings.repo().resolve("examples")))
      Manifests.apply(kubernetes(), folder);
  }

  /** A client of the API server (direct, never cut off). */
  public KubernetesClient kubernetes() {
    return api.client();
  }

  public LimpetResources resources() {
    return new LimpetResources(kubernetes());
  }

  public DataPlaneReplicas dataPlanes() {
    return dataPlanes;
  }

  public DemoDeployment demo() {
    return demo;
  }

  public OperatorRunner operator() {
    return operator;
  }

  /** Where the operator and the data planes reach the API. */
  public String apiUrl() {
    return api.url();
  }

  /** The operator and the data planes lose the API (every connection dropped, new ones refused). */
  public void disconnectApi() {
    api.disconnect();
  }

  public void reconnectApi() {
    api.reconnect();
  }

  public LocalSettings settings() {
    return settings;
  }

  private void kubeletPass() {
    try {
      operator.tick();
      dataPlanes.tick();
      demo.tick();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("kubelet pass failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    kubelet.shutdownNow();
    try {
      kubelet.awaitTermination(10, TimeUnit.SECONDS);
      operator.close();
      dataPlanes.close();
      demo.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      api.close();
    } catch (IOException e) {
      LOG.warn("closing the API server: {}", e.toString());
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
