package dev.limpet.contract;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The problems found in one configuration, each "path: message", and the field checks every
 * validator of {@link ConfigValidator} shares.
 */
final class ConfigProblems {
  /** An HTTP token: a method, a header or cookie name. */
  static final Pattern TOKEN = Pattern.compile(PersistenceProfileConfig.TOKEN);

  static final Pattern HOSTNAME = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?");
  static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  private final List<String> problems = new ArrayList<>();

  void add(String path, String message) {
    problems.add(path + ": " + message);
  }

  List<String> list() {
    return List.copyOf(problems);
  }

  /** The names of {@code items}, each reported when missing or used twice. */
  <T> Set<String> names(List<T> items, Function<T, String> name, String path) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String n = name.apply(items.get(i));
      if (n == null || n.isBlank()) add(path + "[" + i + "].name", "is required");
      else if (!seen.add(n)) add(path + "[" + i + "].name", "'" + n + "' is used twice");
    }
    return seen;
  }

  void cidrs(String path, List<String> blocks) {
    for (int i = 0; i < blocks.size(); i++) {
      try {
        Cidr.parse(blocks.get(i));
      } catch (IllegalArgumentException e) {
        add(path + "[" + i + "]", e.getMessage());
      }
    }
  }

  void hostnames(String path, List<String> hostnames) {
    for (int i = 0; i < hostnames.size(); i++) {
      String h = hostnames.get(i);
      if (!HOSTNAME.matcher(h).matches())
        add(path + "[" + i + "]", "'" + h + "' is not a hostname (a leading '*.' is allowed)");
    }
  }

  void range(String path, long value, long min, long max) {
    if (value < min || value > max) add(path, value + " is out of range " + min + ".." + max);
  }
}
