package dev.limpet.contract;

import java.util.regex.Pattern;

/** Checks one health monitor on its own: its timing and its HTTP request and expected status. */
final class HealthMonitorValidator {
  private static final Pattern STATUS = Pattern.compile("[1-5](xx|\\d\\d)");

  private final ConfigProblems problems;

  HealthMonitorValidator(ConfigProblems problems) {
    this.problems = problems;
  }

  void check(String path, HealthMonitorConfig m) {
    if (m.timeoutSeconds() > m.intervalSeconds())
      problems.add(
          path + ".timeoutSeconds",
          "must not exceed intervalSeconds (" + m.intervalSeconds() + ")");
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
}
