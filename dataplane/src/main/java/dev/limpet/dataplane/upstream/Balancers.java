package dev.limpet.dataplane.upstream;

import dev.limpet.contract.LoadBalancingConfig;
import java.util.List;

/** Makes the balancer that a pool's load-balancing configuration names. */
public final class Balancers {
  private Balancers() {}

  public static Balancer create(LoadBalancingConfig config, List<Server> servers) {
    return switch (config.algorithm()) {
      case RoundRobin -> new RoundRobinBalancer(servers);
      case LeastConnections -> new LeastConnectionsBalancer(servers);
      case ConsistentHash -> new ConsistentHashBalancer(config, servers);
    };
  }
}
