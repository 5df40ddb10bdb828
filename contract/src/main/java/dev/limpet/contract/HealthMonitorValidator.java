package dev.limpet.contract;

import java.util.regex.Pattern;

/**
 * Checks one health monitor on its own: its timing, its HTTP request and expected status, its gRPC
 * service and authority.
 */
final class HealthMonitorValidator {
  private static final Pattern STATUS = Pattern.compile("[1-5](xx|\\d\\d)");

  /**
   * A gRPC service name as servers register it: a fully qualified protobuf service ({@code
   * grpc.health.v1.Health}) or a plain label; nothing that would need escaping in logs.
   */
  private static final Pattern GRPC_SERVICE = Pattern.compile("[A-Za-z0-9_./-]*");

  /** A host name, IPv4 address or bracketed IPv6 address, with an optional port. */
  private static final Pattern AUTHORITY =
      Pattern.compile("([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\])(:\\d{1,5})?");

  private final ConfigProblems problems;

  HealthMonitorValidator(ConfigProblems problems) {
    this.problems = problems;
  }

  void check(String path, HealthMonitorConfig m) {
    if (m.timeoutSeconds() > m.intervalSeconds())
      problems.add(
          path + ".timeoutSeconds",
          "must not exceed intervalSeconds (" + m.intervalSeconds() + ")");
    if (m.type() == HealthMonitorConfig.Type.Grpc) grpc(path + ".grpc", m.grpc());
    else if (m.grpc() != null) problems.add(path + ".grpc", "is only allowed with type Grpc");
    if (m.type() == HealthMonitorConfig.Type.Http) {
      if (!ConfigProblems.TOKEN.matcher(m.http().method()).matches())
        problems.add(path + ".http.method", "'" + m.http().method() + "' is not an HTTP method");
      if (!m.http().path().startsWith("/")) problems.add(path + ".http.path", "must start with /");
      for (int i = 0; i < m.http().expectedStatus().size(); i++) {
        String s = m.http().expectedStatus().get(i);
        if (!STATUS.matcher(s).matches())
          problems.add(
              path + ".http.expectedStatus[" + i + "]",
              "'" + s + "' is not a status code (200) or class (2xx)");
      }
    } else if (m.http() != null) {
      problems.add(path + ".http", "is only allowed with type Http");
    }
  }

  private void grpc(String path, HealthMonitorConfig.GrpcCheck grpc) {
    String service = grpc.service();
    if (service.length() > HealthMonitorConfig.GRPC_SERVICE_MAX)
      problems.add(
          path + ".service",
          "is "
              + service.length()
              + " characters long, more than "
              + HealthMonitorConfig.GRPC_SERVICE_MAX);
    else if (!GRPC_SERVICE.matcher(service).matches())
      problems.add(
          path + ".service",
          "'"
              + service
              + "' is not a gRPC service name (letters, digits, '.', '_', '-', '/'; "
              + "\"\" for the server's overall health)");
    String authority = grpc.authority();
    if (authority != null && !AUTHORITY.matcher(authority).matches())
      problems.add(
          path + ".authority",
          "'" + authority + "' is not a host, IP address or [IPv6] address with an optional :port");
  }
}
