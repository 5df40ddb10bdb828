package dev.limpet.charts;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;

/** The objects of one {@code helm template} output, typed by fabric8's model. */
record Manifests(List<HasMetadata> objects) {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  static Manifests parse(String documents) {
    return new Manifests(
        Arrays.stream(documents.split("(?m)^---\\s*$"))
            .filter(document -> document.lines().anyMatch(line -> line.startsWith("kind:")))
            .map(document -> YAML.<HasMetadata>unmarshal(document))
            .toList());
  }

  <T extends HasMetadata> List<T> all(Class<T> kind) {
    return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  <T extends HasMetadata> T one(Class<T> kind, String name) {
    return all(kind).stream()
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException(kind.getSimpleName() + " " + name));
  }

  /** The Deployment whose container is named {@code container}: "operator" or "dataplane". */
  Deployment deployment(String container) {
    return all(Deployment.class).stream()
        .filter(d -> container(d).getName().equals(container))
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException("no Deployment of " + container));
  }

  /** The one container of a Limpet Deployment. */
  static Container container(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  /** The pod templates of every workload. */
  List<PodTemplateSpec> podTemplates() {
    return all(Deployment.class).stream().map(d -> d.getSpec().getTemplate()).toList();
  }
}
