package dev.limpet.dataplane.upstream.health;

import java.util.List;

/**
 * The response codes an HTTP monitor accepts: exact codes ({@code 200}) and classes ({@code 2xx}).
 */
final class ExpectedStatus {
  private final boolean[] classes = new boolean[6];
  private final int[] codes;

  /**
   * @param expected validated entries, each a code or a class
   */
  ExpectedStatus(List<String> expected) {
    codes = expected.stream().filter(e -> !e.endsWith("xx")).mapToInt(Integer::parseInt).toArray();
    for (String e : expected) if (e.endsWith("xx")) classes[e.charAt(0) - '0'] = true;
  }

  boolean matches(int code) {
    int statusClass = code / 100;
    if (statusClass >= 0 && statusClass < classes.length && classes[statusClass]) return true;
    for (int c : codes) if (c == code) return true;
    return false;
  }
}
