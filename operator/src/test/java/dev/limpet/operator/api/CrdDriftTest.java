package dev.limpet.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRDs checked in under crds/ and charts/limpet/crds/ are exactly what the build generates from
 * the Java model (crd-generator-maven-plugin, process-classes). To update them after a model
 * change: {@code mvn -pl operator -Pupdate-crds process-classes}.
 */
@Timeout(30)
class CrdDriftTest {
  private static final Path GENERATED = Path.of("target/classes/META-INF/fabric8");

  @ParameterizedTest
  @ValueSource(strings = {"../crds", "../charts/limpet/crds"})
  void checkedInCrdsMatchTheModel(String directory) throws IOException {
    List<String> generated = names(GENERATED);
    assertThat(generated).hasSize(4);
    assertThat(names(Path.of(directory)))
        .as("CRD files in %s; run mvn -pl operator -Pupdate-crds process-classes", directory)
        .containsExactlyElementsOf(generated);
    for (String name : generated) {
      assertThat(Files.readString(Path.of(directory, name)))
          .as(
              "%s/%s drifted from the model; run mvn -pl operator -Pupdate-crds process-classes",
              directory, name)
          .isEqualTo(Files.readString(GENERATED.resolve(name)));
    }
  }

  private static List<String> names(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
