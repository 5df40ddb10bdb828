package dev.limpet.dataplane.runtime;

import dev.limpet.contract.DataPlaneGroup;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.function.Consumer;

/**
 * Watches one ConfigMap through the Kubernetes API (the operator writes one per data-plane group)
 * and hands over its {@code config.yaml} whenever it changes, the first time as soon as it is
 * listed. While the API server is unreachable nothing is handed over, so the last good
 * configuration keeps serving; the informer lists and watches again by itself, however long the
 * outage, from start-up on. A deleted ConfigMap is logged and changes nothing.
 *
 * <p>A ConfigMap that does not exist at the first listing means that the group has no
 * VirtualService yet (the operator writes it with the first one): {@link #EMPTY} is handed over, so
 * that the replica is ready, with nothing to serve, instead of failing its readiness probe until
 * someone creates a VirtualService.
 */
public final class ConfigMapSource implements AutoCloseable {

  /** The configuration of a group without VirtualServices. */
  public static final String EMPTY = "version: \"none\"\n";

  private final ResourceWatch<ConfigMap, String> watch;
  private final Consumer<String> onDocument;

  /**
   * @param onDocument receives each new document; validating and applying it is its business
   */
  public ConfigMapSource(
      KubernetesClient client, String namespace, String name, Consumer<String> onDocument) {
    this.onDocument = onDocument;
    this.watch =
        new ResourceWatch<>(
            client.configMaps().inNamespace(namespace).withName(name).runnableInformer(0),
            "ConfigMap " + namespace + "/" + name,
            cm -> cm.getData() == null ? null : cm.getData().get(DataPlaneGroup.CONFIG_KEY),
            onDocument);
  }

  /** Starts listing and watching; returns at once. */
  public void start() {
    watch.start(() -> onDocument.accept(EMPTY));
  }

  /** Whether the ConfigMap is being watched now (false during an API outage). */
  public boolean watching() {
    return watch.watching();
  }

  @Override
  public void close() {
    watch.close();
  }
}
