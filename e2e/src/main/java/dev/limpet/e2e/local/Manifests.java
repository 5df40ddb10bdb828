package dev.limpet.e2e.local;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** {@code kubectl apply -f <folder>} for the local API: every YAML file of a folder, in order. */
public final class Manifests {
  private Manifests() {}

  /** Creates or updates every resource of the YAML files in {@code folder}; returns them. */
  public static List<HasMetadata> apply(KubernetesClient kube, Path folder) throws IOException {
    List<HasMetadata> applied = new ArrayList<>();
    for (Path file : yamlFiles(folder)) {
      try (InputStream in = Files.newInputStream(file)) {
        applied.addAll(apply(kube, in));
      }
    }
    return applied;
  }

  /** Creates or updates every resource of a YAML stream (kubectl apply -f -); returns them. */
  public static List<HasMetadata> apply(KubernetesClient kube, InputStream yaml) {
    List<HasMetadata> applied = new ArrayList<>();
    for (HasMetadata resource : kube.load(yaml).items())
      applied.add(
          kube.resource(resource).inNamespace(namespaceOf(resource)).createOr(op -> op.update()));
    return applied;
  }

  /**
   * Example folders the local run does not apply: their servers are images the local kubelet does
   * not run (it plays the demo backend's Deployment only), so their pools would never be Ready.
   */
  public static final Set<String> NOT_LOCAL = Set.of("grpc");

  /**
   * The example folders (one per use case) the local run applies, the demo backend first since
   * every other uses it.
   */
  public static List<Path> exampleFolders(Path examples) throws IOException {
    try (Stream<Path> folders = Files.list(examples)) {
      return folders
          .filter(Files::isDirectory)
          .filter(f -> !NOT_LOCAL.contains(f.getFileName().toString()))
          .sorted(
              (a, b) ->
                  a.endsWith("demo-backend") ? -1 : b.endsWith("demo-backend") ? 1 : a.compareTo(b))
          .toList();
    }
  }

  private static List<Path> yamlFiles(Path folder) throws IOException {
    if (Files.isRegularFile(folder)) return List.of(folder);
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .sorted()
          .toList();
    }
  }

  private static String namespaceOf(HasMetadata resource) {
    String ns = resource.getMetadata().getNamespace();
    return ns == null ? LocalSettings.NAMESPACE : ns;
  }
}
