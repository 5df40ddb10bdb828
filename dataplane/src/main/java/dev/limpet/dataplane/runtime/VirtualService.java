package dev.limpet.dataplane.runtime;

import dev.limpet.dataplane.config.VirtualServiceConfig;
import dev.limpet.dataplane.upstream.Pool;

/**
 * A virtual service as the proxy uses it: its configuration, its default pool and access policy.
 */
public record VirtualService(VirtualServiceConfig config, Pool pool, AccessPolicy access) {
  public String name() {
    return config.name();
  }
}
