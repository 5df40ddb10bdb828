package dev.limpet.e2e.local;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.ToolProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo backend's Deployment brought to life: plays the ReplicaSet controller (one process per
 * replica of {@code Deployment demo}, on the next free address), the kubelet (Pod objects, Ready
 * when the port accepts) and the EndpointSlice controller (the slice of {@code Service demo} lists
 * the pods, ready or terminating). Scale it as in a cluster: change {@code spec.replicas}.
 */
public final class DemoDeployment implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DemoDeployment.class);
  public static final String NAME = "demo";
  private static final String PORT_NAME = "http";

  private final KubernetesClient kube;
  private final LocalSettings settings;
  private final List<Backend> backends = new ArrayList<>();
  private Path classes;
  private int created;
  private EndpointSlice written;

  private static final class Backend {
    final String pod;
    final String ip;
    final JavaProcess process;
    boolean ready;

    Backend(String pod, String ip, JavaProcess process) {
      this.pod = pod;
      this.ip = ip;
      this.process = process;
    }
  }

  DemoDeployment(KubernetesClient kube, LocalSettings settings) {
    this.kube = kube;
    this.settings = settings;
  }

  /** Compiles DemoBackend.java once, so that each pod starts in a fraction of a second. */
  void prepare() throws IOException {
    classes = settings.work().resolve("demo-backend-classes");
    Files.createDirectories(classes);
    int status =
        ToolProvider.getSystemJavaCompiler()
            .run(
                null,
                null,
                null,
                "-d",
                classes.toString(),
                settings.demoBackendSource().toString());
    if (status != 0) throw new IOException("cannot compile " + settings.demoBackendSource());
  }

  /** Sets the Deployment's replicas, as {@code kubectl scale} does; the next pass follows. */
  public void scale(int replicas) {
    kube.apps()
        .deployments()
        .inNamespace(LocalSettings.NAMESPACE)
        .withName(NAME)
        .edit(
            d -> {
              d.getSpec().setReplicas(replicas);
              return d;
            });
  }

  /** The pod names running now, oldest first. */
  public synchronized List<String> pods() {
    return backends.stream().map(b -> b.pod).toList();
  }

  /** One controller pass: match the process count to the Deployment, probe, write the slice. */
  synchronized void tick() throws IOException, InterruptedException {
    Deployment deployment =
        kube.apps().deployments().inNamespace(LocalSettings.NAMESPACE).withName(NAME).get();
    int wanted =
        deployment == null || deployment.getSpec().getReplicas() == null
            ? 0
            : deployment.getSpec().getReplicas();
    while (backends.size() < wanted) startOne();
    while (backends.size() > wanted) stopNewest();
    for (Backend backend : backends) {
      boolean ready = accepts(backend.ip);
      if (ready != backend.ready) {
        Pods.setReady(kube, backend.pod, ready);
        backend.ready = ready;
      }
    }
    writeSlice(List.of());
  }

  private void startOne() throws IOException {
    String ip = settings.backendIps().get(created % settings.backendIps().size());
    String pod = NAME + "-" + created++;
    kube.resource(
            Pods.pod(
                pod,
                Map.of("app", NAME),
                "ghcr.io/limpet-dev/limpet-demo-backend",
                ip,
                PORT_NAME,
                LocalSettings.BACKEND_PORT))
        .createOr(op -> op.update());
    JavaProcess process =
        JavaProcess.start(
            pod,
            List.of("-Xmx64m", "-XX:+UseSerialGC", "-cp", classes.toString()),
            List.of("DemoBackend", pod, ip, Integer.toString(LocalSettings.BACKEND_PORT)),
            Map.of("HOSTNAME", pod),
            settings.work().resolve("logs/" + pod + ".log"));
    backends.add(new Backend(pod, ip, process));
    LOG.info("started pod {} on {}", pod, ip);
  }

  /** As Kubernetes scales down: the endpoint turns terminating first, then the pod goes. */
  private void stopNewest() throws InterruptedException {
    Backend backend = backends.remove(backends.size() - 1);
    writeSlice(List.of(backend));
    backend.process.stop(5);
    kube.pods().inNamespace(LocalSettings.NAMESPACE).withName(backend.pod).delete();
    LOG.info("stopped pod {}", backend.pod);
  }

  private void writeSlice(List<Backend> terminating) {
    var builder =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withName(NAME + "-local")
            .withNamespace(LocalSettings.NAMESPACE)
            .addToLabels("kubernetes.io/service-name", NAME)
            .endMetadata()
            .withAddressType("IPv4")
            .addNewPort()
            .withName(PORT_NAME)
            .withPort(LocalSettings.BACKEND_PORT)
            .withProtocol("TCP")
            .endPort();
    for (Backend b : backends) builder.addToEndpoints(endpoint(b, b.ready, false));
    for (Backend b : terminating) builder.addToEndpoints(endpoint(b, false, true));
    EndpointSlice slice = builder.build();
    if (written != null
        && written.getEndpoints().equals(slice.getEndpoints())
        && written.getPorts().equals(slice.getPorts())) return;
    kube.resource(slice).createOr(op -> op.update());
    written = slice;
  }

  private static Endpoint endpoint(Backend b, boolean ready, boolean terminating) {
    return new EndpointBuilder()
        .withAddresses(b.ip)
        .withNewTargetRef()
        .withKind("Pod")
        .withName(b.pod)
        .withNamespace(LocalSettings.NAMESPACE)
        .endTargetRef()
        .withNewConditions()
        .withReady(ready)
        .withServing(ready || terminating)
        .withTerminating(terminating)
        .endConditions()
        .build();
  }

  private static boolean accepts(String ip) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(ip, LocalSettings.BACKEND_PORT), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public synchronized void close() throws InterruptedException {
    for (Backend backend : backends) backend.process.close();
  }
}
