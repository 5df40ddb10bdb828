package dev.limpet.operator.index;

import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which VirtualServices use a Pool, PersistenceProfile or DataScript, directly or through another
 * object: a DataScript through the VirtualServices that run it, a Pool also through the DataScripts
 * that may select it, a PersistenceProfile through the Pools that name it. A VirtualService being
 * deleted uses nothing. Read through the indexes of {@link Indexes}, never by scanning a cache.
 */
public final class ReferenceUsers {
  private ReferenceUsers() {}

  /** The indexed caches the answer is read from: the operator's informers. */
  public interface Lookup {
    /** By {@link Indexes#VS_BY_POOL} or {@link Indexes#VS_BY_DATASCRIPT}. */
    List<VirtualService> virtualServices(String index, String key);

    /** By {@link Indexes#POOL_BY_PROFILE}. */
    List<Pool> pools(String index, String key);

    /** By {@link Indexes#DATASCRIPT_BY_POOL}. */
    List<DataScript> dataScripts(String index, String key);
  }

  /** A lookup over JOSDK caches indexed as {@link Indexes} says. */
  public static Lookup over(
      IndexedResourceCache<VirtualService> services,
      IndexedResourceCache<Pool> pools,
      IndexedResourceCache<DataScript> scripts) {
    return new Lookup() {
      @Override
      public List<VirtualService> virtualServices(String index, String key) {
        return services.byIndex(index, key);
      }

      @Override
      public List<Pool> pools(String index, String key) {
        return pools.byIndex(index, key);
      }

      @Override
      public List<DataScript> dataScripts(String index, String key) {
        return scripts.byIndex(index, key);
      }
    };
  }

  /** The names of the VirtualServices using {@code resource}; empty for other kinds. */
  public static SortedSet<String> of(Lookup lookup, HasMetadata resource) {
    var meta = resource.getMetadata();
    return of(lookup, resource.getKind(), meta.getNamespace(), meta.getName());
  }

  /** The names of the VirtualServices using the object; empty for other kinds. */
  public static SortedSet<String> of(Lookup lookup, String kind, String namespace, String name) {
    return switch (kind) {
      case "Pool" -> ofPool(lookup, namespace, name);
      case "PersistenceProfile" -> ofProfile(lookup, namespace, name);
      case "DataScript" -> ofDataScript(lookup, namespace, name);
      default -> new TreeSet<>();
    };
  }

  /** The kinds whose deletion waits for their users. */
  public static boolean guarded(String kind) {
    return kind.equals(new Pool().getKind())
        || kind.equals(new PersistenceProfile().getKind())
        || kind.equals(new DataScript().getKind());
  }

  public static SortedSet<String> ofDataScript(Lookup lookup, String namespace, String name) {
    return names(
        lookup.virtualServices(Indexes.VS_BY_DATASCRIPT, Indexes.key(namespace, name)),
        new TreeSet<>());
  }

  public static SortedSet<String> ofPool(Lookup lookup, String namespace, String name) {
    String key = Indexes.key(namespace, name);
    SortedSet<String> users =
        names(lookup.virtualServices(Indexes.VS_BY_POOL, key), new TreeSet<>());
    for (DataScript script : lookup.dataScripts(Indexes.DATASCRIPT_BY_POOL, key))
      users.addAll(ofDataScript(lookup, namespace, script.getMetadata().getName()));
    return users;
  }

  public static SortedSet<String> ofProfile(Lookup lookup, String namespace, String name) {
    SortedSet<String> users = new TreeSet<>();
    for (Pool pool : lookup.pools(Indexes.POOL_BY_PROFILE, Indexes.key(namespace, name)))
      users.addAll(ofPool(lookup, namespace, pool.getMetadata().getName()));
    return users;
  }

  /** Why an object cannot go yet, naming its users. */
  public static String inUseMessage(String kind, String name, SortedSet<String> users) {
    return kind
        + " '"
        + name
        + "' is in use by VirtualService "
        + String.join(", ", users.stream().map(u -> "'" + u + "'").toList())
        + "; remove it from "
        + (users.size() == 1 ? "that VirtualService" : "those VirtualServices")
        + " first";
  }

  private static SortedSet<String> names(List<VirtualService> services, SortedSet<String> into) {
    for (VirtualService vs : services)
      if (vs.getMetadata().getDeletionTimestamp() == null) into.add(vs.getMetadata().getName());
    return into;
  }
}
