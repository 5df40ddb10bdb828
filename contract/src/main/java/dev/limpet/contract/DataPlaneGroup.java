package dev.limpet.contract;

/**
 * The Kubernetes objects the operator writes for a data-plane group and its replicas watch: their
 * names and keys are part of the contract between the two, so both take them from here.
 */
public final class DataPlaneGroup {
  /** The data plane's name: its {@code app.kubernetes.io/name} and the prefix of its objects. */
  public static final String APP_NAME = "limpet-dataplane";

  /** The key of the group's ConfigMap that holds the configuration document. */
  public static final String CONFIG_KEY = "config.yaml";

  private DataPlaneGroup() {}

  /** The ConfigMap that holds a group's configuration ({@code limpet-dataplane-<group>}). */
  public static String configMapName(String group) {
    return APP_NAME + "-" + group;
  }

  /** The Secret that holds the certificates a group's configuration names. */
  public static String tlsSecretName(String group) {
    return configMapName(group) + "-tls";
  }
}
