package dev.limpet.dataplane;

import dev.limpet.contract.ConfigException;
import dev.limpet.dataplane.runtime.ConfigMapSource;
import dev.limpet.dataplane.runtime.ConfigWatcher;
import dev.limpet.dataplane.runtime.TlsSecretSource;
import dev.limpet.dataplane.tls.CertificatesPendingException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * The sources the options chose, feeding a data plane: the TLS Secret, then the configuration file
 * or ConfigMap. Closing stops them all.
 */
final class ConfigSources implements AutoCloseable {
  private final ConfigSourceOptions options;
  private final DataPlane dataPlane;
  private final KubernetesClient kubernetes;
  private final TlsSecretSource secret;
  private final byte[] initial;
  private AutoCloseable watcher = () -> {};

  private ConfigSources(
      ConfigSourceOptions options,
      DataPlane dataPlane,
      KubernetesClient kubernetes,
      TlsSecretSource secret,
      byte[] initial) {
    this.options = options;
    this.dataPlane = dataPlane;
    this.kubernetes = kubernetes;
    this.secret = secret;
    this.initial = initial;
  }

  /**
   * Follows the TLS Secret and applies the configuration file, if there is one.
   *
   * @throws ConfigException when the file's configuration is refused; what was opened is closed
   */
  static ConfigSources open(ConfigSourceOptions options, DataPlane dataPlane)
      throws IOException, ConfigException {
    KubernetesClient kubernetes =
        options.configMap() != null || options.tlsSecret != null
            ? new KubernetesClientBuilder().build()
            : null;
    // the certificates first: a configuration that names them then applies at once
    TlsSecretSource secret = null;
    if (options.tlsSecret != null) {
      NamespacedName name = NamespacedName.parse(options.tlsSecret);
      secret =
          new TlsSecretSource(
              kubernetes, name.namespace(), name.name(), dataPlane::tlsSecretChanged);
      secret.start();
    }
    byte[] initial = null;
    if (options.file() != null) {
      initial = Files.readAllBytes(options.file());
      try {
        dataPlane.apply(new String(initial, StandardCharsets.UTF_8));
      } catch (CertificatesPendingException e) {
        dataPlane.reload(new String(initial, StandardCharsets.UTF_8)); // applied when they arrive
      } catch (ConfigException e) {
        if (secret != null) secret.close();
        if (kubernetes != null) kubernetes.close();
        throw e;
      }
    }
    return new ConfigSources(options, dataPlane, kubernetes, secret, initial);
  }

  /** Applies each change of the configuration file or ConfigMap from now on. */
  void watch() {
    if (options.file() != null) {
      ConfigWatcher files = new ConfigWatcher(options.file(), dataPlane::reload);
      files.start(initial, options.reloadIntervalMs);
      watcher = files;
    } else {
      // not ready (/readyz) until the first configuration from the ConfigMap is applied
      NamespacedName name = NamespacedName.parse(options.configMap());
      ConfigMapSource configMap =
          new ConfigMapSource(kubernetes, name.namespace(), name.name(), dataPlane::reload);
      configMap.start();
      watcher = configMap;
    }
  }

  @Override
  public void close() throws Exception {
    watcher.close();
    if (secret != null) secret.close();
    if (kubernetes != null) kubernetes.close();
  }
}
