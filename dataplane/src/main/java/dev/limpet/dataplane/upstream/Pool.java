package dev.limpet.dataplane.upstream;

import dev.limpet.dataplane.config.PoolConfig;
import dev.limpet.dataplane.persistence.Persistence;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** TEMPORARY stand-in until the upstream branch lands: the live pool. */
public final class Pool {
  private final PoolConfig config;
  private final List<Server> servers;
  private final Map<String, Server> byKey = new HashMap<>();
  private final Map<String, Server> byName = new HashMap<>();
  private final Balancer balancer;
  private final Persistence persistence;

  public Pool(PoolConfig config, List<Server> servers, Balancer balancer, Persistence persistence) {
    this.config = config;
    this.servers = List.copyOf(servers);
    this.balancer = balancer;
    this.persistence = persistence;
    for (Server s : servers) {
      byKey.put(s.key(), s);
      byName.put(s.name(), s);
    }
  }

  public String name() {
    return config.name();
  }

  public PoolConfig config() {
    return config;
  }

  public List<Server> servers() {
    return servers;
  }

  public Server server(String key) {
    return byKey.get(key);
  }

  public Server serverByName(String name) {
    return byName.get(name);
  }

  public Server pick(ClientRequest request) {
    return balancer.pick(request);
  }

  public int serversUp() {
    int n = 0;
    for (Server s : servers) if (s.up()) n++;
    return n;
  }

  public Persistence persistence() {
    return persistence;
  }
}
