package dev.limpet.dataplane.runtime;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one ConfigMap through the Kubernetes API (the operator writes one per data-plane group)
 * and hands over its {@value #CONFIG_KEY} whenever it changes, the first time as soon as it is
 * listed. While the API server is unreachable nothing is handed over, so the last good
 * configuration keeps serving; the informer lists and watches again by itself, however long the
 * outage, from start-up on. A deleted ConfigMap is logged and changes nothing.
 */
public final class ConfigMapSource implements AutoCloseable {
  public static final String CONFIG_KEY = "config.yaml";
  private static final Logger LOG = LoggerFactory.getLogger(ConfigMapSource.class);

  private final String namespace;
  private final String name;
  private final Consumer<String> onDocument;
  private final SharedIndexInformer<ConfigMap> informer;
  private String last;

  /**
   * @param onDocument receives each new document; validating and applying it is its business
   */
  public ConfigMapSource(
      KubernetesClient client, String namespace, String name, Consumer<String> onDocument) {
    this.namespace = namespace;
    this.name = name;
    this.onDocument = onDocument;
    this.informer = client.configMaps().inNamespace(namespace).withName(name).runnableInformer(0);
    // retry every failure, the first list included: a data plane may start before the API answers
    informer.exceptionHandler(
        (started, error) -> {
          LOG.warn(
              "ConfigMap {}/{}: {}; retrying, the last good configuration keeps serving",
              namespace,
              name,
              error.toString());
          return true;
        });
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(ConfigMap cm) {
            changed(cm);
          }

          @Override
          public void onUpdate(ConfigMap old, ConfigMap cm) {
            changed(cm);
          }

          @Override
          public void onDelete(ConfigMap cm, boolean unknownFinalState) {
            LOG.warn(
                "ConfigMap {}/{} was deleted; the last good configuration keeps serving",
                namespace,
                name);
          }
        });
  }

  /** Starts listing and watching; returns at once. */
  public void start() {
    informer.start();
  }

  /** Whether the ConfigMap is being watched now (false during an API outage). */
  public boolean watching() {
    return informer.isWatching();
  }

  private synchronized void changed(ConfigMap cm) {
    String document = cm.getData() == null ? null : cm.getData().get(CONFIG_KEY);
    if (document == null) {
      LOG.warn("ConfigMap {}/{} has no key {}; ignored", namespace, name, CONFIG_KEY);
      return;
    }
    if (Objects.equals(document, last)) return;
    last = document;
    try {
      onDocument.accept(document);
    } catch (RuntimeException e) {
      LOG.error(
          "configuration from ConfigMap {}/{} failed; the last good one keeps serving",
          namespace,
          name,
          e);
    }
  }

  @Override
  public void close() {
    informer.close();
  }
}
