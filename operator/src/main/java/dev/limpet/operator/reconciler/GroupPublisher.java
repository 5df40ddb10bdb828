package dev.limpet.operator.reconciler;

import dev.limpet.dataplane.config.ConfigException;
import dev.limpet.dataplane.config.ConfigLoader;
import dev.limpet.dataplane.config.DataPlaneConfig;
import dev.limpet.operator.render.ConfigDocument;
import dev.limpet.operator.render.GroupInput;
import dev.limpet.operator.render.GroupRenderer;
import dev.limpet.operator.rollout.DataPlanePods;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a data-plane group's configuration into its ConfigMap, which every replica of the group
 * watches. A configuration is written only whole and only after the data plane's own loader has
 * accepted the exact document, so a replica never sees a half-rendered or invalid one; when that
 * fails, the ConfigMap keeps the last good configuration.
 */
public final class GroupPublisher {
  public static final String CONFIG_KEY = "config.yaml";
  public static final String VERSION_KEY = "version";
  public static final String GROUP_LABEL = DataPlanePods.GROUP_LABEL;
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "limpet-operator";

  private final KubernetesClient client;
  private final Map<String, Object> groupLocks = new ConcurrentHashMap<>();

  public GroupPublisher(KubernetesClient client) {
    this.client = client;
  }

  /** The ConfigMap that holds a group's configuration. */
  public static String configMapName(String group) {
    return "limpet-dataplane-" + group;
  }

  /** What a publication did. */
  public sealed interface Outcome {
    /** The group's ConfigMap holds configuration {@code version}. */
    record Published(DataPlaneConfig config) implements Outcome {}

    /** The rendered configuration was refused; the ConfigMap was left as it was. */
    record Refused(List<String> problems) implements Outcome {}
  }

  /**
   * Renders and writes the group. Publications of one group are serialised: the later one reads the
   * caches later, so the last write is the freshest.
   *
   * @param current the group's ConfigMap as the cache holds it, if any
   */
  public Outcome publish(
      String namespace, String group, GroupInput input, Optional<ConfigMap> current) {
    synchronized (groupLocks.computeIfAbsent(namespace + "/" + group, k -> new Object())) {
      DataPlaneConfig config = GroupRenderer.render(input);
      String document = ConfigDocument.yaml(config);
      try {
        ConfigLoader.parse(document);
      } catch (ConfigException e) {
        return new Outcome.Refused(e.problems());
      }
      boolean unchanged =
          current
              .map(ConfigMap::getData)
              .map(data -> document.equals(data.get(CONFIG_KEY)))
              .orElse(false);
      if (!unchanged) write(namespace, group, config.version(), document, current.isPresent());
      return new Outcome.Published(config);
    }
  }

  private void write(
      String namespace, String group, String version, String document, boolean exists) {
    ConfigMap desired =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(configMapName(group))
            .withNamespace(namespace)
            .addToLabels(GROUP_LABEL, group)
            .addToLabels(MANAGED_BY_LABEL, MANAGED_BY)
            .endMetadata()
            .addToData(CONFIG_KEY, document)
            .addToData(VERSION_KEY, version)
            .build();
    var configMaps = client.configMaps().inNamespace(namespace);
    if (!exists) {
      try {
        configMaps.resource(desired).create();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) throw e;
      }
    }
    configMaps
        .withName(configMapName(group))
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            client.getKubernetesSerialization().asJson(desired));
  }
}
