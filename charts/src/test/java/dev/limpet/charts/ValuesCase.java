package dev.limpet.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * One set of values the chart is rendered with: a file under {@code src/test/resources/values/} (or
 * one a test writes), applied over the chart's {@code values.yaml} as {@code helm -f} does.
 */
record ValuesCase(String name, Path file) {
  static final YAMLMapper YAML = new YAMLMapper();
  private static final Path MATRIX = resource("values");

  /** Every case of the matrix, {@code defaults} among them. */
  static Stream<ValuesCase> matrix() {
    try (Stream<Path> files = Files.list(MATRIX)) {
      return files.sorted().map(ValuesCase::of).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ValuesCase named(String name) {
    return of(MATRIX.resolve(name + ".yaml"));
  }

  /** A case written to {@code directory}, e.g. values the chart must refuse. */
  static ValuesCase write(Path directory, String name, String yaml) {
    try {
      return new ValuesCase(name, Files.writeString(directory.resolve(name + ".yaml"), yaml));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The values the templates see: the chart's defaults with this case's merged over them. */
  ObjectNode values() {
    try {
      ObjectNode values =
          (ObjectNode) YAML.readTree(LimpetChart.DIRECTORY.resolve("values.yaml").toFile());
      JsonNode overrides = YAML.readTree(file.toFile());
      return overrides == null || overrides.isMissingNode() ? values : merge(values, overrides);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Helm's merge of values: maps merge key by key, anything else replaces. */
  private static ObjectNode merge(ObjectNode base, JsonNode overrides) {
    overrides
        .fields()
        .forEachRemaining(
            field -> {
              JsonNode current = base.get(field.getKey());
              if (current instanceof ObjectNode map && field.getValue().isObject())
                merge(map, field.getValue());
              else base.set(field.getKey(), field.getValue());
            });
    return base;
  }

  private static ValuesCase of(Path file) {
    return new ValuesCase(file.getFileName().toString().replace(".yaml", ""), file);
  }

  private static Path resource(String name) {
    try {
      return Path.of(ValuesCase.class.getClassLoader().getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
