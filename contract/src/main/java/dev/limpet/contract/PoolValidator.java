package dev.limpet.contract;

import dev.limpet.contract.LoadBalancingConfig.Algorithm;
import dev.limpet.contract.LoadBalancingConfig.HashKey;
import dev.limpet.contract.PersistenceProfileConfig.Type;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Checks one pool: the monitors and profile it names exist, its load balancing has what its
 * algorithm needs, and its servers are distinct addresses with what the profile needs.
 */
final class PoolValidator {
  private final ConfigProblems problems;
  private final Set<String> monitors;
  private final Set<String> profiles;
  private final Map<String, PersistenceProfileConfig> profileByName;

  /**
   * @param monitors the health monitors' names
   * @param profiles the persistence profiles' names
   * @param profileByName every persistence profile by name
   */
  PoolValidator(
      ConfigProblems problems,
      Set<String> monitors,
      Set<String> profiles,
      Map<String, PersistenceProfileConfig> profileByName) {
    this.problems = problems;
    this.monitors = monitors;
    this.profiles = profiles;
    this.profileByName = profileByName;
  }

  void check(String path, PoolConfig p) {
    for (int i = 0; i < p.healthMonitors().size(); i++) {
      if (!monitors.contains(p.healthMonitors().get(i)))
        problems.add(
            path + ".healthMonitors[" + i + "]",
            "no health monitor named '" + p.healthMonitors().get(i) + "'");
    }
    if (p.persistenceProfile() != null && !profiles.contains(p.persistenceProfile()))
      problems.add(
          path + ".persistenceProfile",
          "no persistence profile named '" + p.persistenceProfile() + "'");
    if (p.maxConnectionsPerServer() < 0)
      problems.add(path + ".maxConnectionsPerServer", "must be 0 (unlimited) or more");
    if (p.tunnelDrainSeconds() < 1 || p.tunnelDrainSeconds() > PoolConfig.TUNNEL_DRAIN_MAX)
      problems.add(
          path + ".tunnelDrainSeconds",
          "must be 1.."
              + PoolConfig.TUNNEL_DRAIN_MAX
              + " seconds, or absent (drainPeriodSeconds); got "
              + p.tunnelDrainSeconds());
    var lb = p.loadBalancing();
    if (lb.algorithm() == Algorithm.ConsistentHash
        && lb.hashKey() != HashKey.ClientIP
        && (lb.hashName() == null || !ConfigProblems.TOKEN.matcher(lb.hashName()).matches()))
      problems.add(
          path + ".loadBalancing.hashName",
          "a header or cookie name is required with hashKey " + lb.hashKey());
    servers(path, p);
  }

  private void servers(String path, PoolConfig p) {
    Set<String> keys = new HashSet<>();
    Set<String> names = new HashSet<>();
    boolean customHeader =
        p.persistenceProfile() != null
            && profileByName.containsKey(p.persistenceProfile())
            && profileByName.get(p.persistenceProfile()).type() == Type.CustomHeader;
    for (int i = 0; i < p.servers().size(); i++) {
      String sp = path + ".servers[" + i + "]";
      ServerConfig s = p.servers().get(i);
      if (s.ip() == null) {
        problems.add(sp + ".ip", "is required");
        continue;
      }
      try {
        Cidr.parse(s.ip());
        if (s.ip().contains("/")) problems.add(sp + ".ip", "must be an address, not a block");
      } catch (IllegalArgumentException e) {
        problems.add(sp + ".ip", e.getMessage());
      }
      problems.range(sp + ".port", s.port(), 1, 65_535);
      problems.range(sp + ".ratio", s.ratio(), 1, 100);
      if (!keys.add(s.key())) problems.add(sp, "server " + s.key() + " is listed twice");
      if (!names.add(s.name())) problems.add(sp + ".name", "'" + s.name() + "' is used twice");
      if (customHeader && s.headerValue() == null)
        problems.add(sp + ".headerValue", "is required: the pool uses CustomHeader persistence");
    }
  }
}
