package dev.limpet.operator.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET http://<pod IP>:<admin port>/config}, whose JSON answer carries the applied {@code
 * version}.
 */
public final class HttpAdminEndpoint implements AdminEndpoint {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();

  @Override
  public CompletableFuture<Optional<String>> appliedVersion(DataPlanePods.Replica replica) {
    String host = replica.ip().contains(":") ? "[" + replica.ip() + "]" : replica.ip();
    var request =
        HttpRequest.newBuilder(URI.create("http://" + host + ":" + replica.adminPort() + "/config"))
            .timeout(TIMEOUT)
            .GET()
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(HttpAdminEndpoint::version)
        .exceptionally(e -> Optional.empty());
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
