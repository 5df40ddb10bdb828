package dev.limpet.dataplane.upstream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * A consistent-hash ring: each server owns {@link #POINTS_PER_RATIO} points per unit of ratio,
 * placed by hashing {@code ip:port#n}. The points depend only on the server's own key, so adding or
 * removing one of N servers moves only the keys of that server's arcs, about 1/N of all keys.
 * Immutable.
 */
public final class HashRing {
  /** As in ketama: enough points that servers of equal ratio get close to equal shares. */
  static final int POINTS_PER_RATIO = 160;

  private final long[] points;
  private final Server[] owners;

  public HashRing(List<Server> servers) {
    record Point(long hash, Server owner) {}
    List<Point> ring = new ArrayList<>();
    for (Server s : servers) {
      for (int n = 0; n < s.ratio() * POINTS_PER_RATIO; n++) {
        ring.add(new Point(KeyHash.of(s.key() + "#" + n), s));
      }
    }
    // The key breaks the (unlikely) tie of two equal hashes the same way in every process.
    ring.sort(Comparator.comparingLong(Point::hash).thenComparing(p -> p.owner().key()));
    points = ring.stream().mapToLong(Point::hash).toArray();
    owners = ring.stream().map(Point::owner).toArray(Server[]::new);
  }

  /**
   * The server for {@code key}: the first clockwise from the key's hash that accepts new clients;
   * null when none does.
   */
  public Server pick(String key) {
    return clockwiseFrom(KeyHash.of(key), Server::acceptsNewClients);
  }

  /**
   * The owner of the first point at or after {@code hash} that is {@code eligible}, walking
   * clockwise; null when no owner is.
   */
  Server clockwiseFrom(long hash, Predicate<Server> eligible) {
    if (points.length == 0) return null;
    int found = Arrays.binarySearch(points, hash);
    int start = found >= 0 ? found : -found - 1;
    for (int step = 0; step < points.length; step++) {
      Server owner = owners[(start + step) % points.length];
      if (eligible.test(owner)) return owner;
    }
    return null;
  }
}
