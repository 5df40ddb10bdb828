package dev.limpet.dataplane.upstream;

import dev.limpet.dataplane.http.ClientRequest;
import java.util.List;

/**
 * Picks the server with the fewest requests in flight relative to its ratio; among equally loaded
 * servers, weighted round robin decides (so an idle pool still honours the ratios).
 */
public final class LeastConnectionsBalancer implements Balancer {
  private final List<Server> servers;
  private final SmoothWeightedRotation tieBreak;

  public LeastConnectionsBalancer(List<Server> servers) {
    this.servers = List.copyOf(servers);
    this.tieBreak = new SmoothWeightedRotation(this.servers);
  }

  @Override
  public Server pick(ClientRequest request) {
    Server least = null;
    for (Server s : servers) {
      if (s.acceptsNewClients() && (least == null || lessLoaded(s, least))) least = s;
    }
    if (least == null) return null;
    Server min = least;
    Server tied = tieBreak.next(s -> s.acceptsNewClients() && !lessLoaded(min, s));
    // The counters move under our feet: if every tie left in between, the least loaded stands.
    return tied != null ? tied : least;
  }

  /** a/ratio(a) < b/ratio(b), without division. */
  private static boolean lessLoaded(Server a, Server b) {
    return (long) a.activeRequests() * b.ratio() < (long) b.activeRequests() * a.ratio();
  }
}
