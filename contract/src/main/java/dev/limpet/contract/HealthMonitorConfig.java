package dev.limpet.contract;

import java.util.List;

/**
 * A health monitor that pools refer to by name. A server is up only while every monitor of its pool
 * passes.
 *
 * @param successfulChecks consecutive passes that bring a down server up (default 2)
 * @param failedChecks consecutive failures that bring an up server down (default 2)
 * @param grpc what a {@link Type#Grpc} monitor asks; null for the other types
 */
public record HealthMonitorConfig(
    String name,
    Type type,
    int intervalSeconds,
    int timeoutSeconds,
    int successfulChecks,
    int failedChecks,
    HttpCheck http,
    GrpcCheck grpc) {

  /** The kinds of check. */
  public enum Type {
    Http,
    Tcp,
    /** The gRPC health checking protocol, {@code grpc.health.v1.Health/Check}. */
    Grpc
  }

  /** The longest {@link GrpcCheck#service} name. */
  public static final int GRPC_SERVICE_MAX = 256;

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

  /**
   * A gRPC health check: one {@code grpc.health.v1.Health/Check} call over HTTP/2 (h2c, or h2 when
   * the pool's servers are reached over TLS).
   *
   * @param service the service whose health is asked; {@code ""} (the default) asks for the
   *     server's overall health, as grpc.health.v1 defines
   * @param authority the {@code :authority} sent; default the server's address
   */
  public record GrpcCheck(String service, String authority) {
    public GrpcCheck {
      service = Defaults.orElse(service, "");
    }
  }

  /** A monitor of a type other than {@link Type#Grpc}. */
  public HealthMonitorConfig(
      String name,
      Type type,
      int intervalSeconds,
      int timeoutSeconds,
      int successfulChecks,
      int failedChecks,
      HttpCheck http) {
    this(name, type, intervalSeconds, timeoutSeconds, successfulChecks, failedChecks, http, null);
  }

  public HealthMonitorConfig {
    type = Defaults.orElse(type, Type.Tcp);
    intervalSeconds = Defaults.positive(intervalSeconds, 10);
    timeoutSeconds = Defaults.positive(timeoutSeconds, 4);
    successfulChecks = Defaults.positive(successfulChecks, 2);
    failedChecks = Defaults.positive(failedChecks, 2);
    http = type == Type.Http ? Defaults.orElse(http, new HttpCheck(null, null, null, null)) : http;
    grpc = type == Type.Grpc ? Defaults.orElse(grpc, new GrpcCheck(null, null)) : grpc;
  }
}
