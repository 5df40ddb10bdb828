package dev.limpet.e2e.local;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data-plane replicas, each a process on its own address with a Pod object labelled as the
 * chart labels them. Plays their kubelet: Ready follows {@code /readyz}, and a replica that dies is
 * started again (same pod, same address, as a container restart).
 */
public final class DataPlaneReplicas implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DataPlaneReplicas.class);

  private final KubernetesClient kube;
  private final LocalSettings settings;
  private final Map<String, String> apiEnvironment;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<Replica> replicas = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
  private Path keys;
  private Path peerSecret;

  private static final class Replica {
    final int index;
    final String ip;
    final String pod;
    JavaProcess process;
    boolean ready;
    int starts;

    Replica(int index, String ip) {
      this.index = index;
      this.ip = ip;
      this.pod = "limpet-dataplane-" + index;
    }
  }

  DataPlaneReplicas(
      KubernetesClient kube, LocalSettings settings, Map<String, String> apiEnvironment) {
    this.kube = kube;
    this.settings = settings;
    this.apiEnvironment = apiEnvironment;
  }

  /** Writes the shared secrets (as the chart's Secrets would hold), creates the pods, starts. */
  void start() throws IOException {
    keys = settings.work().resolve("secrets/cookie-keys.json");
    peerSecret = settings.work().resolve("secrets/peer-secret");
    Files.createDirectories(keys.getParent());
    Files.writeString(
        keys, "{\"cookieKeys\":[{\"id\":\"local\",\"secret\":\"" + random(32) + "\"}]}");
    Files.writeString(peerSecret, random(32));
    for (int i = 0; i < settings.dataPlaneIps().size(); i++) {
      Replica replica = new Replica(i, settings.dataPlaneIps().get(i));
      replicas.add(replica);
      kube.resource(
              Pods.pod(
                  replica.pod,
                  Map.of(
                      "app.kubernetes.io/name",
                      "limpet-dataplane",
                      "limpet.dev/data-plane-group",
                      LocalSettings.GROUP),
                  "ghcr.io/limpet-dev/limpet-dataplane",
                  replica.ip,
                  "admin",
                  LocalSettings.ADMIN_PORT))
          .createOr(op -> op.update());
      launch(replica);
    }
  }

  /** How many replicas there are. */
  public int count() {
    return replicas.size();
  }

  /** The address replica {@code i} serves on (its "pod IP"). */
  public String ip(int i) {
    return replicas.get(i).ip;
  }

  /** How many entries each persistence table of replica {@code i} holds (its admin /tables). */
  public Map<String, Integer> tables(int i) throws IOException, InterruptedException {
    var request =
        HttpRequest.newBuilder(
                URI.create("http://" + ip(i) + ":" + LocalSettings.ADMIN_PORT + "/tables"))
            .timeout(Duration.ofSeconds(2))
            .build();
    String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    return JSON.readValue(body, new TypeReference<Map<String, Integer>>() {});
  }

  /** The pid of replica {@code i}'s current process. */
  public long pid(int i) {
    return replicas.get(i).process.pid();
  }

  /** SIGKILL for replica {@code i}; the kubelet loop starts it again. */
  public synchronized void kill(int i) throws InterruptedException {
    LOG.info("killing {} (pid {})", replicas.get(i).pod, pid(i));
    replicas.get(i).process.kill();
  }

  /** Whether replica {@code i}'s Pod is Ready (its /readyz answered 200 at the last check). */
  public synchronized boolean ready(int i) {
    return replicas.get(i).ready;
  }

  /** How many times replica {@code i} was started. */
  public synchronized int starts(int i) {
    return replicas.get(i).starts;
  }

  /** One kubelet pass: restart what died, probe readiness, write what changed. */
  synchronized void tick() throws IOException {
    for (Replica replica : replicas) {
      if (!replica.process.alive()) {
        setReady(replica, false);
        LOG.warn(
            "{} exited (status {}); starting it again", replica.pod, replica.process.exitStatus());
        launch(replica);
      }
      setReady(replica, probe(replica));
    }
  }

  private void setReady(Replica replica, boolean ready) {
    if (replica.ready == ready) return;
    Pods.setReady(kube, replica.pod, ready);
    replica.ready = ready;
  }

  private boolean probe(Replica replica) {
    try {
      var request =
          HttpRequest.newBuilder(
                  URI.create("http://" + replica.ip + ":" + LocalSettings.ADMIN_PORT + "/readyz"))
              .timeout(Duration.ofSeconds(1))
              .build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void launch(Replica replica) throws IOException {
    String others =
        settings.dataPlaneIps().stream()
            .filter(ip -> !ip.equals(replica.ip))
            .map(ip -> ip + ":" + LocalSettings.PEER_PORT)
            .collect(Collectors.joining(","));
    List<String> args =
        new ArrayList<>(
            List.of(
                "-jar",
                settings.dataPlaneJar().toString(),
                "--configmap",
                LocalSettings.NAMESPACE + "/limpet-dataplane-" + LocalSettings.GROUP,
                "--listen-address",
                replica.ip,
                "--admin",
                replica.ip + ":" + LocalSettings.ADMIN_PORT,
                "--keys",
                keys.toString(),
                "--threads",
                "1",
                "--drain-seconds",
                "2",
                "--replica-id",
                replica.pod,
                "--peer-listen",
                replica.ip + ":" + LocalSettings.PEER_PORT,
                "--peer-secret-file",
                peerSecret.toString(),
                "--peer-sync-timeout-seconds",
                "5"));
    if (!others.isEmpty()) args.addAll(List.of("--peers", others));
    Map<String, String> env = new java.util.HashMap<>(apiEnvironment);
    env.put("HOSTNAME", replica.pod);
    replica.process =
        JavaProcess.start(
            replica.pod,
            List.of("-Xmx256m"),
            args,
            env,
            settings.work().resolve("logs/" + replica.pod + ".log"));
    replica.starts++;
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  @Override
  public synchronized void close() throws InterruptedException {
    for (Replica replica : replicas) if (replica.process != null) replica.process.close();
  }
}
