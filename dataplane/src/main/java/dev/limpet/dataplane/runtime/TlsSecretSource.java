package dev.limpet.dataplane.runtime;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Watches the data plane's TLS Secret through the Kubernetes API (the operator writes one per
 * data-plane group, {@code limpet-dataplane-<group>-tls}, holding {@code <key>.crt} and {@code
 * <key>.key} for each certificate) and hands over its content, decoded, whenever it changes. An
 * outage or a deleted Secret leaves the certificates in use as they are.
 */
public final class TlsSecretSource implements AutoCloseable {
  private final ResourceWatch<Secret, Map<String, String>> watch;

  /**
   * @param onData receives each new content: Secret key to PEM text
   */
  public TlsSecretSource(
      KubernetesClient client,
      String namespace,
      String name,
      Consumer<Map<String, String>> onData) {
    this.watch =
        new ResourceWatch<>(
            client.secrets().inNamespace(namespace).withName(name).runnableInformer(0),
            "Secret " + namespace + "/" + name,
            TlsSecretSource::decoded,
            onData);
  }

  private static Map<String, String> decoded(Secret secret) {
    Map<String, String> data = new HashMap<>();
    if (secret.getData() != null)
      secret
          .getData()
          .forEach(
              (key, value) ->
                  data.put(
                      key, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
    if (secret.getStringData() != null) data.putAll(secret.getStringData());
    return data;
  }

  /** Starts listing and watching; returns at once. */
  public void start() {
    watch.start();
  }

  @Override
  public void close() {
    watch.close();
  }
}
