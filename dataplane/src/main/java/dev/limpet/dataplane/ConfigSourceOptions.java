package dev.limpet.dataplane;

import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The options that say where the configuration and its certificates come from. */
final class ConfigSourceOptions {
  /** Where the configuration comes from: exactly one of a file and a ConfigMap. */
  static final class Choice {
    @Option(
        names = "--config",
        required = true,
        description = "Configuration file (YAML or JSON); reloaded when it changes.")
    Path config;

    @Option(
        names = "--configmap",
        required = true,
        description =
            "NAMESPACE/NAME of the ConfigMap (key config.yaml) to watch through the Kubernetes API"
                + " instead of a file; the last good configuration serves while the API is down.")
    String configMap;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Choice choice;

  @Option(
      names = "--tls-secret",
      description =
          "NAMESPACE/NAME of the Secret holding the certificates the configuration names by"
              + " secretKey (the operator's limpet-dataplane-<group>-tls), watched through the"
              + " Kubernetes API.")
  String tlsSecret;

  @Option(
      names = "--reload-interval-ms",
      defaultValue = "1000",
      description = "How often the configuration file is checked for changes.")
  long reloadIntervalMs;

  /** The configuration file; null when the configuration comes from a ConfigMap. */
  Path file() {
    return choice.config;
  }

  /** The ConfigMap's NAMESPACE/NAME; null when the configuration comes from a file. */
  String configMap() {
    return choice.configMap;
  }

  void check(OptionCheck check) {
    check.value("--configmap", choice.configMap, NamespacedName::parse);
    check.value("--tls-secret", tlsSecret, NamespacedName::parse);
  }
}
