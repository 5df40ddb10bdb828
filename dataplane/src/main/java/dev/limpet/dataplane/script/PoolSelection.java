package dev.limpet.dataplane.script;

import dev.limpet.dataplane.upstream.Server;

/**
 * The choice of {@code avi.pool.select}: a pool (by its configuration name) and, when the script
 * named a usable member, that server; with a null server the pool balances as usual, persistence
 * profile included.
 */
public record PoolSelection(String pool, Server server) {}
