package dev.limpet.dataplane.runtime;

import dev.limpet.contract.VirtualServiceConfig;
import dev.limpet.dataplane.script.VirtualServiceScripts;
import dev.limpet.dataplane.tls.UpstreamTls;
import dev.limpet.dataplane.upstream.Pool;

/**
 * A virtual service as the proxy uses it: its configuration, default pool, access policy,
 * DataScripts (null when it runs none), TLS towards its servers (null: plain HTTP) and the proxies
 * whose {@code X-Forwarded-For} it believes (null: none).
 */
public record VirtualService(
    VirtualServiceConfig config,
    Pool pool,
    AccessPolicy access,
    VirtualServiceScripts scripts,
    UpstreamTls upstreamTls,
    AddressBlocks trustedProxies) {
  public String name() {
    return config.name();
  }
}
