package dev.limpet.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the chart runs the operator's JVM, read from the chart and the image: the container's
 * environment (the {@code ENV} lines of {@code operator/Dockerfile}, {@code JDK_JAVA_OPTIONS}
 * replaced by {@code operator.javaOptions} when that is set) and its limits. Outside a container
 * the limits become the flags a JVM derives from its cgroup ({@code -XX:MaxRAM}, {@code
 * -XX:ActiveProcessorCount}), so that a process started with {@link #containerFlags} and {@link
 * #environment} sizes its heap and picks its collector as the pod's JVM does.
 */
record ChartOperatorJvm(Map<String, String> environment, long memoryLimitBytes, int cpus) {
  static final String JAVA_OPTIONS = "JDK_JAVA_OPTIONS";
  private static final Pattern IMAGE_ENV =
      Pattern.compile("^ENV (\\w+)=\"([^\"]*)\"", Pattern.MULTILINE);

  static ChartOperatorJvm read(Path repo) throws IOException {
    JsonNode operator =
        new ObjectMapper(new YAMLFactory())
            .readTree(repo.resolve("charts/limpet/values.yaml").toFile())
            .path("operator");
    Map<String, String> environment = new TreeMap<>();
    Matcher m = IMAGE_ENV.matcher(Files.readString(repo.resolve("operator/Dockerfile")));
    while (m.find()) environment.put(m.group(1), m.group(2));
    // -Dlimpet.benchmark.javaOptions=...: as with --set operator.javaOptions=...
    String options =
        System.getProperty("limpet.benchmark.javaOptions", operator.path("javaOptions").asText(""));
    if (!options.isBlank()) environment.put(JAVA_OPTIONS, options);
    if (!environment.containsKey(JAVA_OPTIONS))
      throw new IOException("neither the chart nor operator/Dockerfile sets " + JAVA_OPTIONS);
    JsonNode limits = operator.path("resources").path("limits");
    // -Dlimpet.benchmark.memoryLimit=768Mi: as with --set operator.resources.limits.memory=768Mi
    String memoryLimit =
        System.getProperty("limpet.benchmark.memoryLimit", limits.path("memory").asText());
    long memory = Quantity.getAmountInBytes(new Quantity(memoryLimit)).longValueExact();
    int cpus =
        (int)
            Math.ceil(
                Quantity.getAmountInBytes(new Quantity(limits.path("cpu").asText())).doubleValue());
    return new ChartOperatorJvm(environment, memory, Math.max(1, cpus));
  }

  String javaOptions() {
    return environment.get(JAVA_OPTIONS);
  }

  /** What the JVM would read from the container's cgroup limits. */
  List<String> containerFlags() {
    return List.of("-XX:MaxRAM=" + memoryLimitBytes, "-XX:ActiveProcessorCount=" + cpus);
  }
}
