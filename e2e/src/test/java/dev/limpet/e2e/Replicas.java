package dev.limpet.e2e;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;

/** Requests to the data-plane replicas of the shared cluster, as a client of their Service. */
final class Replicas {
  private Replicas() {}

  /**
   * GET {@code path} on {@code port} of replica {@code replica}, from source address {@code from}.
   */
  static HttpAnswer get(
      int replica, int port, String from, String path, Map<String, String> headers)
      throws IOException {
    return HttpAnswer.get(
        from, SharedCluster.cluster().dataPlanes().ip(replica), port, path, headers);
  }

  static HttpAnswer get(int replica, int port, Map<String, String> headers) throws IOException {
    return get(replica, port, null, "/", headers);
  }

  /**
   * The bodies of {@code count} GETs sent at once as streams of one h2c connection to replica
   * {@code replica}, from source address {@code from}.
   */
  static List<String> streams(int replica, int port, String from, int count) throws IOException {
    return H2cStreams.get(from, SharedCluster.cluster().dataPlanes().ip(replica), port, count);
  }

  /**
   * Sends a client's first request and returns its answer once the table entry it made has reached
   * replica {@code other} (its admin /tables counts one more entry under {@code tablePrefix}).
   */
  static <T> T replicated(int other, String tablePrefix, Callable<T> first) throws Exception {
    int known = entries(other, tablePrefix);
    T answer = first.call();
    awaitEntries(other, tablePrefix, known + 1);
    return answer;
  }

  /** The entries of replica {@code replica}'s tables whose name starts with {@code prefix}. */
  private static int entries(int replica, String prefix) throws Exception {
    return SharedCluster.cluster().dataPlanes().tables(replica).entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .mapToInt(Map.Entry::getValue)
        .sum();
  }

  /** Waits until the replicated entries have reached replica {@code replica}. */
  private static void awaitEntries(int replica, String prefix, int atLeast) {
    Awaitility.await("replica " + replica + " has " + atLeast + " entries in " + prefix + "*")
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> entries(replica, prefix) >= atLeast);
  }

  /** A distinct client address for client {@code i} of a test (127.0.15.x, away from the pods). */
  static String client(int i) {
    return "127.0.15." + (i + 1);
  }
}
