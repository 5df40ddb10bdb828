package dev.limpet.operator.reconciler;

import dev.limpet.contract.ConfigException;
import dev.limpet.contract.ConfigLoader;
import dev.limpet.contract.DataPlaneConfig;
import dev.limpet.contract.DataScriptConfig;
import dev.limpet.contract.TlsCertificateConfig;
import dev.limpet.operator.index.GroupSecrets;
import dev.limpet.operator.render.ConfigDocument;
import dev.limpet.operator.render.GroupInput;
import dev.limpet.operator.render.GroupRenderer;
import dev.limpet.operator.render.ServedCertificate;
import dev.limpet.operator.rollout.DataPlanePods;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a data-plane group's configuration into its ConfigMap, and the certificates it names into
 * its TLS Secret, both of which every replica of the group watches. A configuration is written only
 * whole and only after the data plane's own loader has accepted the exact document, so a replica
 * never sees a half-rendered or invalid one; when that fails, the ConfigMap keeps the last good
 * configuration. The Secret is written first; a replica applies a configuration only once the
 * Secret holds the certificate digests it names.
 */
public final class GroupPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(GroupPublisher.class);
  public static final String CONFIG_KEY = "config.yaml";
  public static final String VERSION_KEY = "version";
  public static final String GROUP_LABEL = DataPlanePods.GROUP_LABEL;
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "limpet-operator";

  private final KubernetesClient client;
  private final OwnedObjects owned;
  private final Map<String, Object> groupLocks = new ConcurrentHashMap<>();

  /** A configuration the loader accepted, what it was rendered from, and its document. */
  private record Accepted(DataPlaneConfig unversioned, DataPlaneConfig config, String document) {}

  /**
   * The last accepted configuration of each group: a render that gives the same one again (most
   * renders of a batch that only settles statuses) reuses its version and document instead of
   * serialising the whole group twice and parsing it once more.
   */
  private final Map<String, Accepted> accepted = new ConcurrentHashMap<>();

  /**
   * What was last written of each group's ConfigMap (its document) and TLS Secret (its decoded
   * data), by {@code <kind>/<namespace>/<group>}: an informer event that shows it is the echo of
   * the write, not a change.
   */
  private final Map<String, Object> written = new ConcurrentHashMap<>();

  /** When each group's ConfigMap was last written ({@link System#nanoTime}). */
  private final Map<String, Long> writtenAt = new ConcurrentHashMap<>();

  public GroupPublisher(KubernetesClient client) {
    this.client = client;
    this.owned = new OwnedObjects(client);
  }

  /** The ConfigMap that holds a group's configuration. */
  public static String configMapName(String group) {
    return "limpet-dataplane-" + group;
  }

  /** Whether {@code object} (a group's ConfigMap or TLS Secret) shows what was last written. */
  public boolean wrote(HasMetadata object) {
    var labels = object.getMetadata().getLabels();
    String group = labels == null ? null : labels.get(GROUP_LABEL);
    if (group == null) return false;
    Object last =
        written.get(writtenKey(object.getKind(), object.getMetadata().getNamespace(), group));
    if (last == null) return false;
    if (object instanceof ConfigMap cm)
      return cm.getData() != null && last.equals(cm.getData().get(CONFIG_KEY));
    if (object instanceof Secret secret) return last.equals(GroupSecrets.decoded(secret));
    return false;
  }

  private static String writtenKey(String kind, String namespace, String group) {
    return kind + "/" + namespace + "/" + group;
  }

  /** What a publication did. */
  public sealed interface Outcome {
    /**
     * The group's ConfigMap holds {@code config}, written at {@code writtenAtNanos} ({@link
     * System#nanoTime}; {@link Long#MIN_VALUE} when it held it before this operator wrote).
     */
    record Published(DataPlaneConfig config, long writtenAtNanos) implements Outcome {}

    /** The rendered configuration was refused; the ConfigMap was left as it was. */
    record Refused(List<String> problems) implements Outcome {}
  }

  /**
   * Renders and writes the group. Publications of one group are serialised: the later one reads the
   * caches later, so the last write is the freshest.
   *
   * @param current the group's ConfigMap as the cache holds it, if any
   * @param currentSecret the group's TLS Secret as the cache holds it, if any
   */
  public Outcome publish(
      String namespace,
      String group,
      GroupInput input,
      Optional<ConfigMap> current,
      Optional<Secret> currentSecret) {
    String key = namespace + "/" + group;
    synchronized (groupLocks.computeIfAbsent(key, k -> new Object())) {
      DataPlaneConfig unversioned = GroupRenderer.unversioned(input);
      Accepted last = accepted.get(key);
      DataPlaneConfig config;
      String document;
      if (last != null && last.unversioned().equals(unversioned)) {
        config = last.config();
        document = last.document();
      } else {
        long start = System.nanoTime();
        ConfigDocument.Versioned versioned = ConfigDocument.document(unversioned);
        config = versioned.config();
        document = versioned.document();
        long serialised = System.nanoTime();
        try {
          ConfigLoader.parse(document);
        } catch (ConfigException e) {
          return new Outcome.Refused(e.problems());
        }
        LOG.debug(
            "document of {} ({} characters) in {} ms, loaded in {} ms",
            key,
            document.length(),
            (serialised - start) / 1_000_000,
            (System.nanoTime() - serialised) / 1_000_000);
        accepted.put(key, new Accepted(unversioned, config, document));
      }
      boolean unchanged =
          current
              .map(ConfigMap::getData)
              .map(data -> document.equals(data.get(CONFIG_KEY)))
              .orElse(false);
      writeCertificates(
          namespace, group, input.certificatesBySecret(), input.cryptoKeys(), currentSecret);
      if (!unchanged) {
        write(namespace, group, config.version(), document, current.isPresent());
        writtenAt.put(key, System.nanoTime());
      }
      return new Outcome.Published(config, writtenAt.getOrDefault(key, Long.MIN_VALUE));
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
    owned.createOrPatch(desired, exists, client.getKubernetesSerialization().asJson(desired));
    written.put(writtenKey("ConfigMap", namespace, group), document);
  }

  /**
   * Makes the group's TLS Secret hold exactly {@code certificates} ({@code <secretName>.crt} and
   * {@code .key} each) and the scripts' crypto keys (base64, {@code <script>.<key>.cryptokey});
   * untouched when it already does.
   */
  private void writeCertificates(
      String namespace,
      String group,
      Map<String, ServedCertificate> certificates,
      Map<String, Map<String, byte[]>> cryptoKeys,
      Optional<Secret> current) {
    Map<String, String> desired = new TreeMap<>();
    certificates.forEach(
        (secretName, c) -> {
          desired.put(TlsCertificateConfig.certificateKey(secretName), c.certificatePem());
          desired.put(TlsCertificateConfig.privateKeyKey(secretName), c.keyPem());
        });
    cryptoKeys.forEach(
        (script, keys) ->
            keys.forEach(
                (name, bytes) ->
                    desired.put(
                        DataScriptConfig.CryptoKey.secretKey(script, name),
                        Base64.getEncoder().encodeToString(bytes))));
    Map<String, String> now = current.map(GroupSecrets::decoded).orElse(Map.of());
    if (desired.equals(now) || (current.isEmpty() && desired.isEmpty())) return;
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(GroupSecrets.name(group))
            .withNamespace(namespace)
            .addToLabels(GROUP_LABEL, group)
            .addToLabels(MANAGED_BY_LABEL, MANAGED_BY)
            .endMetadata()
            .withType("Opaque")
            .build();
    Map<String, String> data = new TreeMap<>();
    desired.forEach((k, v) -> data.put(k, base64(v)));
    secret.setData(data);
    // a merge patch keeps keys it does not mention: the removed ones are set to null
    Map<String, Object> patchData = new TreeMap<>(data);
    now.keySet().stream().filter(k -> !desired.containsKey(k)).forEach(k -> patchData.put(k, null));
    Map<String, Object> patch =
        Map.of("metadata", Map.of("labels", secret.getMetadata().getLabels()), "data", patchData);
    owned.createOrPatch(
        secret, current.isPresent(), client.getKubernetesSerialization().asJson(patch));
    written.put(writtenKey("Secret", namespace, group), desired);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
