package dev.limpet.dataplane.peers;

import java.util.HashMap;

/**
 * Shares equal value strings read from the network, as the local tables share the pool's server-key
 * strings: most values are one of a few {@code ip:port}, and a million entries then hold a few
 * strings instead of a million. Bounded: past {@value #MAX} distinct values, new ones are kept as
 * read. For one thread.
 */
final class ValueInterner {
  static final int MAX = 4_096;
  private final HashMap<String, String> values = new HashMap<>();

  String intern(String value) {
    String known = values.get(value);
    if (known != null) return known;
    if (values.size() < MAX) values.put(value, value);
    return value;
  }
}
