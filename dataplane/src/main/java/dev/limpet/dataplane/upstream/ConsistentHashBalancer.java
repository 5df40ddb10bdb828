package dev.limpet.dataplane.upstream;

import dev.limpet.contract.LoadBalancingConfig;
import dev.limpet.dataplane.http.ClientRequest;
import java.util.List;

/**
 * Sends the same key (client IP, header or cookie) to the same server while that server accepts new
 * clients; when it does not, to the next one clockwise on the ring. Requests without the key go
 * round robin.
 */
public final class ConsistentHashBalancer implements Balancer {
  private final RequestHashKey key;
  private final HashRing ring;
  private final Balancer withoutKey;

  public ConsistentHashBalancer(LoadBalancingConfig config, List<Server> servers) {
    this.key = RequestHashKey.from(config);
    this.ring = new HashRing(servers);
    this.withoutKey = new RoundRobinBalancer(servers);
  }

  @Override
  public Server pick(ClientRequest request) {
    String k = key.of(request);
    if (k == null) return withoutKey.pick(request);
    return ring.clockwiseFrom(KeyHash.of(k), Server::acceptsNewClients);
  }
}
