package dev.limpet.dataplane.upstream;

import dev.limpet.dataplane.http.ClientRequest;
import java.util.List;

/** Weighted round robin with smooth interleaving over the servers that accept new clients. */
public final class RoundRobinBalancer implements Balancer {
  private final SmoothWeightedRotation rotation;

  public RoundRobinBalancer(List<Server> servers) {
    this.rotation = new SmoothWeightedRotation(servers);
  }

  @Override
  public Server pick(ClientRequest request) {
    return rotation.next(Server::acceptsNewClients);
  }
}
