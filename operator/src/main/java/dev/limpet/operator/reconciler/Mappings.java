package dev.limpet.operator.reconciler;

import dev.limpet.operator.index.Indexes;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Secondary-to-primary mappings through indexers: which primaries a changed object concerns. */
final class Mappings {
  private Mappings() {}

  /** The primaries indexed under the key of {@code secondary} ({@code <namespace>/<name>}). */
  static <P extends HasMetadata> Set<ResourceID> ids(
      IndexedResourceCache<P> primaries, String index, HasMetadata secondary) {
    return ids(
        primaries, index, List.of(Indexes.key(secondary, secondary.getMetadata().getName())));
  }

  /** The primaries indexed under any of {@code keys}. */
  static <P extends HasMetadata> Set<ResourceID> ids(
      IndexedResourceCache<P> primaries, String index, List<String> keys) {
    return ids(keys.stream().flatMap(k -> primaries.byIndex(index, k).stream()).toList());
  }

  static Set<ResourceID> ids(Collection<? extends HasMetadata> resources) {
    return resources.stream().map(ResourceID::fromResource).collect(Collectors.toSet());
  }
}
