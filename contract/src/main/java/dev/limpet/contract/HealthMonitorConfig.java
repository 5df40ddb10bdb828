package dev.limpet.contract;

import java.util.List;

/**
 * A health monitor that pools refer to by name. A server is up only while every monitor of its pool
 * passes.
 *
 * @param successfulChecks consecutive passes that bring a down server up (default 2)
 * @param failedChecks consecutive failures that bring an up server down (default 2)
 */
public record HealthMonitorConfig(
    String name,
    Type type,
    int intervalSeconds,
    int timeoutSeconds,
    int successfulChecks,
    int failedChecks,
    HttpCheck http) {

  /** The kinds of check. */
  public enum Type {
    Http,
    Tcp
  }

  /**
   * An HTTP check.
   *
   * @param expectedStatus codes ({@code 200}) or classes ({@code 2xx}); default 2xx and 3xx
   * @param host the Host header sent; default the server's address
   */
  public record HttpCheck(String method, String path, List<String> expectedStatus, String host) {
    public HttpCheck {
      method = Defaults.orElse(method, "GET");
      path = Defaults.orElse(path, "/");
      expectedStatus =
          expectedStatus == null || expectedStatus.isEmpty()
              ? List.of("2xx", "3xx")
              : List.copyOf(expectedStatus);
    }
  }

  public HealthMonitorConfig {
    type = Defaults.orElse(type, Type.Tcp);
    intervalSeconds = Defaults.positive(intervalSeconds, 10);
    timeoutSeconds = Defaults.positive(timeoutSeconds, 4);
    successfulChecks = Defaults.positive(successfulChecks, 2);
    failedChecks = Defaults.positive(failedChecks, 2);
    http = type == Type.Http ? Defaults.orElse(http, new HttpCheck(null, null, null, null)) : http;
  }
}
