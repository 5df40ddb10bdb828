package dev.limpet.dataplane.persistence;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** How many client connections are open per table key; a key is listed while its count is > 0. */
final class LiveConnections {
  private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();

  void opened(String key) {
    counts.merge(key, 1, Integer::sum);
  }

  /**
   * @return true if that was the key's last open connection
   */
  boolean closed(String key) {
    return counts.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1) == null;
  }

  /** The keys with an open connection, a live view. */
  Set<String> keys() {
    return counts.keySet();
  }
}
