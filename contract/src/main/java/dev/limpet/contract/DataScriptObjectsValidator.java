package dev.limpet.contract;

import java.util.HashSet;
import java.util.Set;

/**
 * Checks what a DataScript reads by name: its IP groups, string groups, rate limiters and crypto
 * keys, each within the bounds that keep a configuration sane.
 */
final class DataScriptObjectsValidator {
  /** The most entries one group may hold: lookups stay fast, but the config must stay sane. */
  static final int MAX_GROUP_ENTRIES = 100_000;

  /** Bounds of a rate limiter: the keys it tracks are memory a hostile client could grow. */
  static final int MAX_RATE_COUNT = 1_000_000;

  static final int MAX_RATE_PERIOD_SECONDS = 86_400;
  static final int MAX_RATE_KEYS = 1_000_000;

  private final ConfigProblems problems;

  DataScriptObjectsValidator(ConfigProblems problems) {
    this.problems = problems;
  }

  /**
   * @param path the DataScript's path
   */
  void check(String path, DataScriptConfig s) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < s.ipGroups().size(); i++) {
      var g = s.ipGroups().get(i);
      String gp = path + ".ipGroups[" + i + "]";
      name(gp, g.name(), names);
      if (g.addresses().size() > MAX_GROUP_ENTRIES)
        problems.add(gp + ".addresses", "at most " + MAX_GROUP_ENTRIES + " entries");
      for (int a = 0; a < g.addresses().size(); a++) {
        try {
          Cidr.parse(String.valueOf(g.addresses().get(a)));
        } catch (IllegalArgumentException e) {
          problems.add(gp + ".addresses[" + a + "]", e.getMessage());
        }
      }
    }
    names.clear();
    for (int i = 0; i < s.stringGroups().size(); i++) {
      var g = s.stringGroups().get(i);
      String gp = path + ".stringGroups[" + i + "]";
      name(gp, g.name(), names);
      if (!g.strings().isEmpty() && !g.map().isEmpty())
        problems.add(gp, "has strings or a map, not both");
      if (g.strings().size() + g.map().size() > MAX_GROUP_ENTRIES)
        problems.add(gp, "at most " + MAX_GROUP_ENTRIES + " entries");
      if (g.strings().stream().anyMatch(String::isEmpty) || g.map().containsKey(""))
        problems.add(gp, "entries must not be empty");
    }
    names.clear();
    for (int i = 0; i < s.rateLimiters().size(); i++) {
      var r = s.rateLimiters().get(i);
      String rp = path + ".rateLimiters[" + i + "]";
      name(rp, r.name(), names);
      if (r.count() < 1 || r.count() > MAX_RATE_COUNT)
        problems.add(rp + ".count", "must be 1.." + MAX_RATE_COUNT);
      if (r.periodSeconds() < 1 || r.periodSeconds() > MAX_RATE_PERIOD_SECONDS)
        problems.add(rp + ".periodSeconds", "must be 1.." + MAX_RATE_PERIOD_SECONDS);
      if (r.burst() < 0 || r.burst() > MAX_RATE_COUNT)
        problems.add(rp + ".burst", "must be 0.." + MAX_RATE_COUNT);
      if (r.maxKeys() < 1 || r.maxKeys() > MAX_RATE_KEYS)
        problems.add(rp + ".maxKeys", "must be 1.." + MAX_RATE_KEYS);
      if (r.status() < 200 || r.status() > 599) problems.add(rp + ".status", "must be 200..599");
    }
    names.clear();
    for (int i = 0; i < s.cryptoKeys().size(); i++) {
      var k = s.cryptoKeys().get(i);
      String kp = path + ".cryptoKeys[" + i + "]";
      name(kp, k.name(), names);
      if (k.secretKey() == null || !ConfigProblems.SECRET_KEY.matcher(k.secretKey()).matches())
        problems.add(kp + ".secretKey", "a Secret data key ([-._a-zA-Z0-9]+) is required");
      if (k.sha256() == null || !ConfigProblems.SHA256.matcher(k.sha256()).matches())
        problems.add(kp + ".sha256", "64 lower-case hex digits are required");
    }
  }

  private void name(String path, String name, Set<String> names) {
    if (name == null || name.isEmpty()) problems.add(path + ".name", "is required");
    else if (!names.add(name)) problems.add(path + ".name", "'" + name + "' is used twice");
  }
}
