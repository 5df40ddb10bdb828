package dev.limpet.operator;

import com.sun.net.httpserver.HttpServer;
import dev.limpet.contract.DataPlaneGroup;
import dev.limpet.operator.rollout.DataPlanePods;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A data-plane replica as the operator sees one: a ready Pod of the group in the (mock) API, and a
 * real HTTP admin endpoint on 127.0.0.x answering {@code GET /config} with the version it applied.
 * By default it applies whatever the group's ConfigMap holds, at once; {@link #pin} holds it at one
 * version, as a replica that is behind.
 */
public final class FakeDataPlane implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final String group;
  private final String podName;
  private final HttpServer server;
  private volatile String pinned;
  private volatile String dataScripts = "{}";
  private final java.util.concurrent.atomic.AtomicInteger dataScriptsAsked =
      new java.util.concurrent.atomic.AtomicInteger();

  public FakeDataPlane(
      KubernetesClient client, String namespace, String group, String podName, String ip)
      throws IOException {
    this.client = client;
    this.namespace = namespace;
    this.group = group;
    this.podName = podName;
    server = HttpServer.create(new InetSocketAddress(ip, 0), 16);
    server.createContext("/config", this::config);
    server.createContext("/datascripts", this::dataScripts);
    server.start();
    client.resource(pod(ip, server.getAddress().getPort())).create();
  }

  /** Holds the replica at {@code version}; null: follows the ConfigMap again. */
  public void pin(String version) {
    pinned = version;
  }

  /** What the replica reports, as a data plane's admin port would. */
  public Optional<String> version() {
    if (pinned != null) return Optional.of(pinned);
    ConfigMap cm =
        client
            .configMaps()
            .inNamespace(namespace)
            .withName(DataPlaneGroup.configMapName(group))
            .get();
    return Optional.ofNullable(cm).map(c -> c.getData().get("version"));
  }

  /** What {@code GET /datascripts} answers: the selection fallbacks per DataScript, as JSON. */
  public void dataScripts(String json) {
    dataScripts = json;
  }

  /** How many times {@code /datascripts} was asked. */
  public int dataScriptsAsked() {
    return dataScriptsAsked.get();
  }

  private void dataScripts(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
    try (exchange) {
      dataScriptsAsked.incrementAndGet();
      byte[] bytes = dataScripts.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private void config(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
    try (exchange) {
      String body =
          version()
              .map(v -> "{\"version\": \"" + v + "\", \"config\": {}}")
              .orElse("{\"version\": null}");
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private Pod pod(String ip, int adminPort) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(podName)
        .withNamespace(namespace)
        .addToLabels(DataPlanePods.selector(group))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("dataplane")
        .withImage("limpet-dataplane")
        .addNewPort()
        .withName(DataPlanePods.ADMIN_PORT_NAME)
        .withContainerPort(adminPort)
        .endPort()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPodIP(ip)
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
