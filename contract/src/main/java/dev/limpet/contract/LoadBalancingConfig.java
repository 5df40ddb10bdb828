package dev.limpet.contract;

/**
 * How a pool picks a server for a request that persistence does not pin.
 *
 * @param hashKey what {@code ConsistentHash} hashes
 * @param hashName the header or cookie name when {@code hashKey} is {@code Header} or {@code
 *     Cookie}
 */
public record LoadBalancingConfig(Algorithm algorithm, HashKey hashKey, String hashName) {
  public static final LoadBalancingConfig ROUND_ROBIN = new LoadBalancingConfig(null, null, null);

  /** The load-balancing algorithms. */
  public enum Algorithm {
    /** Weighted by each server's ratio, smooth interleaving. */
    RoundRobin,
    /** Fewest requests in flight relative to ratio. */
    LeastConnections,
    /** A hash ring (weighted by ratio) over the key below. */
    ConsistentHash
  }

  /** The request property that {@code ConsistentHash} hashes. */
  public enum HashKey {
    ClientIP,
    Header,
    Cookie
  }

  public LoadBalancingConfig {
    algorithm = Defaults.orElse(algorithm, Algorithm.RoundRobin);
    hashKey = Defaults.orElse(hashKey, HashKey.ClientIP);
  }
}
