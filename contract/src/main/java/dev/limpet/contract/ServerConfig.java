package dev.limpet.contract;

/**
 * One pool member. A server is identified by {@code ip:port} everywhere (cookies, tables,
 * replication), never by its position in the list.
 *
 * @param ratio weight for load balancing, 1..100 (default 1)
 * @param enabled false takes the server out at once
 * @param draining true: no new clients, persisted clients stay for the pool's drain period
 * @param headerValue the value a {@code CustomHeader} persistence profile matches
 */
public record ServerConfig(
    String name,
    String ip,
    int port,
    int ratio,
    Boolean enabled,
    boolean draining,
    String headerValue) {

  public ServerConfig {
    ratio = Defaults.positive(ratio, 1);
    enabled = Defaults.orElse(enabled, Boolean.TRUE);
    name = name == null ? ip + ":" + port : name;
  }

  /** The identity used by cookies, tables and replication. */
  public String key() {
    return ServerKeys.of(ip, port);
  }
}
