package dev.limpet.dataplane.upstream;

import dev.limpet.dataplane.http.ClientRequest;

/** Picks a server for a request that persistence does not pin. Safe to call from any thread. */
public interface Balancer {
  /** A server that accepts new clients, or null when none does. */
  Server pick(ClientRequest request);
}
