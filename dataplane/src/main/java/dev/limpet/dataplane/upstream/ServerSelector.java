package dev.limpet.dataplane.upstream;

import dev.limpet.contract.PersistenceProfileConfig.OnServerDown;
import dev.limpet.dataplane.http.ClientRequest;
import dev.limpet.dataplane.persistence.Persistence;
import dev.limpet.dataplane.upstream.Selection.Outcome;
import java.util.Set;

/**
 * Chooses a pool member: the persisted one when it may take the request, else the balancer's pick.
 */
public final class ServerSelector {
  private ServerSelector() {}

  /**
   * The selection for {@code request}, or a selection with a null server when no server can take
   * it. {@code excluded} lists servers that already failed to connect for this request.
   */
  public static Selection select(Pool pool, ClientRequest request, Set<Server> excluded) {
    Persistence persistence = pool.persistence();
    if (persistence == null)
      return new Selection(pickExcluding(pool, request, excluded), null, Outcome.NONE);
    String pinned = persistence.pinnedServer(request);
    if (pinned != null) {
      Server server = pool.server(pinned);
      if (server != null
          && !excluded.contains(server)
          && mayServePersisted(server, persistence.onServerDown()))
        return new Selection(server, pinned, Outcome.HIT);
    }
    Server chosen = pickExcluding(pool, request, excluded);
    if (chosen != null && pinned == null) persistence.remember(request, chosen.key());
    if (chosen != null && pinned != null) persistence.repin(request, pinned, chosen.key());
    return new Selection(chosen, pinned, pinned == null ? Outcome.MISS : Outcome.REPICK);
  }

  /**
   * A server a script named: used when it may take the request, else the pool decides (a stale pin
   * on Kubernetes, where pod addresses change, must not become an error).
   */
  public static Selection selectNamed(
      Pool pool, Server named, ClientRequest request, Set<Server> excluded) {
    if (named != null && !excluded.contains(named) && named.acceptsPersistedClients())
      return new Selection(named, named.key(), Outcome.SCRIPT);
    return select(pool, request, excluded);
  }

  private static boolean mayServePersisted(Server server, OnServerDown onServerDown) {
    if (server.acceptsPersistedClients()) return true;
    // Never: keep the client on its server while the entry lives, unless the server left the pool
    // or was disabled by configuration.
    return onServerDown == OnServerDown.Never && server.enabled() && !server.atConnectionLimit();
  }

  private static Server pickExcluding(Pool pool, ClientRequest request, Set<Server> excluded) {
    if (excluded.isEmpty()) return pool.pick(request);
    for (int attempt = 0; attempt < pool.servers().size(); attempt++) {
      Server s = pool.pick(request);
      if (s == null) return null;
      if (!excluded.contains(s)) return s;
    }
    for (Server s : pool.servers()) if (s.acceptsNewClients() && !excluded.contains(s)) return s;
    return null;
  }
}
