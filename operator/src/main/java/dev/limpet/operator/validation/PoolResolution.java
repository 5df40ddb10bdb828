package dev.limpet.operator.validation;

import dev.limpet.contract.ServerConfig;
import dev.limpet.operator.status.ReferenceCheck;
import java.util.List;

/**
 * A Pool judged against its namespace.
 *
 * @param problems what is wrong with the pool itself, servers from endpoints included
 * @param references its PersistenceProfile and Service
 * @param endpointServers the servers its Service's EndpointSlices give
 * @param serversUp listed servers enabled plus endpoint servers not draining
 * @param serversTotal every server
 */
public record PoolResolution(
    List<String> problems,
    ReferenceCheck references,
    List<ServerConfig> endpointServers,
    int serversUp,
    int serversTotal) {

  /** Whether virtual services can use the pool. */
  public boolean usable() {
    return problems.isEmpty() && references.resolved();
  }
}
