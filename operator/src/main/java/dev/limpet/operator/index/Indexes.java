package dev.limpet.operator.index;

import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The names and key functions of the operator's cache indexers. Every key is namespaced: {@code
 * <namespace>/<name>}, since references never leave their namespace.
 */
public final class Indexes {
  private Indexes() {}

  /** VirtualServices by the Pool they name. */
  public static final String VS_BY_POOL = "vsByPool";

  /** VirtualServices by each DataScript they name. */
  public static final String VS_BY_DATASCRIPT = "vsByDataScript";

  /** VirtualServices by each certificate Secret they name. */
  public static final String VS_BY_SECRET = "vsBySecret";

  /** VirtualServices by data-plane group. */
  public static final String VS_BY_GROUP = "vsByGroup";

  /** VirtualServices by data-plane group and port: the ones that may conflict. */
  public static final String VS_BY_LISTENER = "vsByListener";

  /** Pools by their PersistenceProfile. */
  public static final String POOL_BY_PROFILE = "poolByProfile";

  /** Pools by their Service. */
  public static final String POOL_BY_SERVICE = "poolByService";

  /** DataScripts by each Pool they name. */
  public static final String DATASCRIPT_BY_POOL = "dataScriptByPool";

  /** DataScripts by each Secret their crypto keys come from. */
  public static final String DATASCRIPT_BY_SECRET = "dataScriptBySecret";

  /** Data-plane pods by {@code <namespace>/<group>}. */
  public static final String POD_BY_GROUP = "podByGroup";

  /** Objects by namespace. */
  public static final String BY_NAMESPACE = "byNamespace";

  /** Objects whose deletion waits (deletionTimestamp set), by namespace. */
  public static final String HELD = "heldByNamespace";

  /** The data-plane group of a VirtualService whose spec does not name one. */
  public static final String DEFAULT_GROUP = "default";

  public static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  public static String key(HasMetadata resource, String name) {
    return key(resource.getMetadata().getNamespace(), name);
  }

  public static List<String> namespace(HasMetadata resource) {
    return List.of(resource.getMetadata().getNamespace());
  }

  public static List<String> held(HasMetadata resource) {
    return resource.getMetadata().getDeletionTimestamp() == null
        ? List.of()
        : List.of(resource.getMetadata().getNamespace());
  }

  public static List<String> vsPool(VirtualService vs) {
    return vs.getSpec() == null || vs.getSpec().pool() == null
        ? List.of()
        : List.of(key(vs, vs.getSpec().pool()));
  }

  public static List<String> vsDataScripts(VirtualService vs) {
    return vs.getSpec() == null || vs.getSpec().dataScripts() == null
        ? List.of()
        : vs.getSpec().dataScripts().stream().map(name -> key(vs, name)).toList();
  }

  public static List<String> vsSecrets(VirtualService vs) {
    return vs.getSpec() == null
            || vs.getSpec().tls() == null
            || vs.getSpec().tls().certificates() == null
        ? List.of()
        : vs.getSpec().tls().certificates().stream()
            .filter(c -> c.secretName() != null)
            .map(c -> key(vs, c.secretName()))
            .toList();
  }

  public static String group(VirtualService vs) {
    return vs.getSpec() == null || vs.getSpec().dataPlaneGroup() == null
        ? DEFAULT_GROUP
        : vs.getSpec().dataPlaneGroup();
  }

  public static List<String> vsGroup(VirtualService vs) {
    return List.of(key(vs, group(vs)));
  }

  public static List<String> vsListener(VirtualService vs) {
    return vs.getSpec() == null || vs.getSpec().port() == null
        ? List.of()
        : List.of(listenerKey(vs.getMetadata().getNamespace(), group(vs), vs.getSpec().port()));
  }

  public static String listenerKey(String namespace, String group, int port) {
    return key(namespace, group) + "/" + port;
  }

  public static List<String> poolProfile(Pool pool) {
    return pool.getSpec() == null || pool.getSpec().persistenceProfile() == null
        ? List.of()
        : List.of(key(pool, pool.getSpec().persistenceProfile()));
  }

  public static List<String> poolService(Pool pool) {
    return Optional.ofNullable(pool.getSpec())
        .map(s -> s.service())
        .map(s -> s.name())
        .map(name -> List.of(key(pool, name)))
        .orElse(List.of());
  }

  public static List<String> dataScriptPools(DataScript script) {
    return script.getSpec() == null || script.getSpec().pools() == null
        ? List.of()
        : script.getSpec().pools().stream()
            .map(p -> p.pool())
            .filter(Objects::nonNull)
            .map(name -> key(script, name))
            .distinct()
            .toList();
  }

  public static List<String> dataScriptSecrets(DataScript script) {
    return script.getSpec() == null || script.getSpec().cryptoKeys() == null
        ? List.of()
        : script.getSpec().cryptoKeys().stream()
            .map(k -> k.secretRef() == null ? null : k.secretRef().name())
            .filter(Objects::nonNull)
            .map(name -> key(script, name))
            .distinct()
            .toList();
  }
}
