package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.http.ClientRequest;
import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import dev.limpet.dataplane.persistence.Persistence;
import dev.limpet.dataplane.upstream.Pool;
import dev.limpet.dataplane.upstream.Selection;
import dev.limpet.dataplane.upstream.Server;
import java.util.HashMap;
import java.util.Map;

/**
 * The persistence-and-selection step of one client connection: starts each request's {@link
 * ServerChoice} (the pool's persistence first, or the server a DataScript named), holds the
 * persistence entries a connection keeps alive while it is open ({@code ClientIP}), one per
 * profile, and counts how each server was chosen. Plain logic the relay calls: no I/O.
 */
final class Balancing {
  private final DataPlaneMetrics metrics;

  /**
   * Persistence holds of this connection, one per profile, released at close: the first one in
   * fields (a connection's requests nearly always go to one pool), any other in a map made then.
   */
  private Persistence firstProfile;

  private Persistence.Hold firstHold;
  private Map<Persistence, Persistence.Hold> moreHolds;

  Balancing(DataPlaneMetrics metrics) {
    this.metrics = metrics;
  }

  /**
   * The server choice of a request to {@code pool}; the first request of the connection to a pool
   * with persistence holds its entry for as long as the connection lasts.
   *
   * @param named the server a DataScript named, or null when the pool chooses
   */
  ServerChoice start(Pool pool, Server named, ClientRequest request) {
    Persistence p = pool.persistence();
    if (p != null && p != firstProfile && (moreHolds == null || !moreHolds.containsKey(p)))
      hold(p, request);
    return new ServerChoice(pool, named, request);
  }

  /** The next server of {@code choice}, or null when none is left; counts how it was chosen. */
  Server next(ServerChoice choice) {
    Selection selection = choice.next();
    metrics.persistence(choice.pool().name(), selection.outcome());
    return selection.server();
  }

  private void hold(Persistence p, ClientRequest request) {
    Persistence.Hold hold = p.holdWhileConnected(request);
    if (firstProfile == null) {
      firstProfile = p;
      firstHold = hold;
    } else {
      if (moreHolds == null) moreHolds = new HashMap<>(2);
      moreHolds.put(p, hold);
    }
  }

  /** The connection closed: its holds end. */
  void release() {
    if (firstHold != null) firstHold.release();
    firstProfile = null;
    firstHold = null;
    if (moreHolds == null) return;
    for (Persistence.Hold hold : moreHolds.values()) hold.release();
    moreHolds = null;
  }
}
