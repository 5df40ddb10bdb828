package dev.limpet.operator.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET http://<pod IP>:<admin port>/config}, whose JSON answer carries the applied {@code
 * version}, and {@code /datascripts}, the selection fallbacks per DataScript.
 */
public final class HttpAdminEndpoint implements AdminEndpoint {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();

  @Override
  public CompletableFuture<Optional<String>> appliedVersion(DataPlanePods.Replica replica) {
    return get(replica, "/config")
        .thenApply(HttpAdminEndpoint::version)
        .exceptionally(e -> Optional.empty());
  }

  @Override
  public CompletableFuture<Optional<Map<String, Map<String, Long>>>> selectionFallbacks(
      DataPlanePods.Replica replica) {
    return get(replica, "/datascripts")
        .thenApply(HttpAdminEndpoint::fallbacks)
        .exceptionally(e -> Optional.empty());
  }

  private CompletableFuture<HttpResponse<String>> get(DataPlanePods.Replica replica, String path) {
    String host = replica.ip().contains(":") ? "[" + replica.ip() + "]" : replica.ip();
    var request =
        HttpRequest.newBuilder(URI.create("http://" + host + ":" + replica.adminPort() + path))
            .timeout(TIMEOUT)
            .GET()
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  /** {@code {"route": {"selectionFallbacks": {"down": 2}, "message": "..."}}}. */
  static Optional<Map<String, Map<String, Long>>> fallbacks(HttpResponse<String> response) {
    if (response.statusCode() != 200) return Optional.empty();
    try {
      JsonNode all = JSON.readTree(response.body());
      if (all == null || !all.isObject()) return Optional.empty();
      Map<String, Map<String, Long>> byScript = new TreeMap<>();
      all.fields()
          .forEachRemaining(
              script -> {
                Map<String, Long> byReason = new TreeMap<>();
                JsonNode counts = script.getValue().path("selectionFallbacks");
                counts
                    .fields()
                    .forEachRemaining(r -> byReason.put(r.getKey(), r.getValue().asLong()));
                byScript.put(script.getKey(), byReason);
              });
      return Optional.of(byScript);
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> version(HttpResponse<String> response) {
    if (response.statusCode() != 200) return Optional.empty();
    try {
      JsonNode version = JSON.readTree(response.body()).get("version");
      return version == null || version.isNull() ? Optional.empty() : Optional.of(version.asText());
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }
}
