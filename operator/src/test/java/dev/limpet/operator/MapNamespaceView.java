package dev.limpet.operator;

import dev.limpet.operator.index.GroupSecrets;
import dev.limpet.operator.index.NamespaceView;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link NamespaceView} over a fixed list of objects, for pure tests. */
public final class MapNamespaceView implements NamespaceView {
  private final List<HasMetadata> objects;

  public MapNamespaceView(List<HasMetadata> objects) {
    this.objects = List.copyOf(objects);
  }

  @Override
  public List<EndpointSlice> endpointSlices(String serviceName) {
    return objects.stream()
        .filter(EndpointSlice.class::isInstance)
        .map(EndpointSlice.class::cast)
        .filter(
            s -> serviceName.equals(s.getMetadata().getLabels().get("kubernetes.io/service-name")))
        .toList();
  }

  @Override
  public Map<String, String> podLabels(String podName) {
    return Map.of();
  }

  @Override
  public Optional<Secret> tlsSecret(String name) {
    return get(Secret.class, name).filter(s -> "kubernetes.io/tls".equals(s.getType()));
  }

  @Override
  public Map<String, String> publishedCertificates(String group) {
    return get(Secret.class, GroupSecrets.name(group)).map(GroupSecrets::decoded).orElse(Map.of());
  }

  @Override
  public <T extends HasMetadata> Optional<T> get(Class<T> type, String name) {
    return objects.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(o -> name.equals(o.getMetadata().getName()))
        .findFirst();
  }
}
