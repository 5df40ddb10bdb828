package dev.limpet.operator;

import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.index.GroupSecrets;
import dev.limpet.operator.index.NamespaceView;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
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
  public Optional<Pool> pool(String name) {
    return find(Pool.class, name);
  }

  @Override
  public Optional<PersistenceProfile> profile(String name) {
    return find(PersistenceProfile.class, name);
  }

  @Override
  public Optional<DataScript> dataScript(String name) {
    return find(DataScript.class, name);
  }

  @Override
  public Optional<Service> service(String name) {
    return find(Service.class, name);
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
    return find(Secret.class, name).filter(s -> "kubernetes.io/tls".equals(s.getType()));
  }

  @Override
  public Map<String, String> publishedCertificates(String group) {
    return find(Secret.class, GroupSecrets.name(group)).map(GroupSecrets::decoded).orElse(Map.of());
  }

  private <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
    return objects.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(o -> name.equals(o.getMetadata().getName()))
        .findFirst();
  }
}
