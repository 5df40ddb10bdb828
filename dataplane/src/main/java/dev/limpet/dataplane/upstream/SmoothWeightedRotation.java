package dev.limpet.dataplane.upstream;

import java.util.List;
import java.util.function.Predicate;

/**
 * nginx's smooth weighted round robin over a fixed list of servers: over any run of picks each
 * eligible server gets its ratio's share, spread out rather than in bursts (ratios 5,1,1 give
 * {@code a a b a c a a}, not {@code a a a a a b c}). A server that is not eligible takes no part in
 * the round and its running weight stays where it was, so the others keep their relative shares.
 */
final class SmoothWeightedRotation {
  private final Server[] servers;
  private final int[] current;

  SmoothWeightedRotation(List<Server> servers) {
    this.servers = servers.toArray(Server[]::new);
    this.current = new int[this.servers.length];
  }

  /** The next eligible server in the rotation, or null when none is eligible. */
  // A lock, not CAS: one pick touches every running weight, and only one or two event loops
  // contend for it, for a few nanoseconds each.
  synchronized Server next(Predicate<Server> eligible) {
    int best = -1;
    int total = 0;
    for (int i = 0; i < servers.length; i++) {
      Server s = servers[i];
      if (!eligible.test(s)) continue;
      current[i] += s.ratio();
      total += s.ratio();
      if (best < 0 || current[i] > current[best]) best = i;
    }
    if (best < 0) return null;
    current[best] -= total;
    return servers[best];
  }
}
