package dev.limpet.dataplane.tls;

import dev.limpet.contract.DataPlaneConfig;
import dev.limpet.contract.DataScriptConfig;
import dev.limpet.contract.VirtualServiceConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * Which TLS reaches each pool's servers, for clients that talk to a pool rather than through a
 * virtual service (health monitors). Upstream TLS is set per virtual service; a pool takes that of
 * the first virtual service, in configuration order, that re-encrypts and sends to it, directly or
 * through one of its DataScripts.
 */
public final class PoolTls {
  private PoolTls() {}

  /** The TLS of each pool reached over TLS; pools reached in plain text are absent. */
  public static Map<String, UpstreamTls> byPool(DataPlaneConfig config, TlsCatalog tls) {
    Map<String, DataScriptConfig> scripts = new HashMap<>();
    config.dataScripts().forEach(s -> scripts.put(s.name(), s));
    Map<String, UpstreamTls> byPool = new HashMap<>();
    for (VirtualServiceConfig vs : config.virtualServices()) {
      UpstreamTls upstream = tls.upstream(vs.name());
      if (upstream == null) continue;
      if (vs.pool() != null) byPool.putIfAbsent(vs.pool(), upstream);
      for (String name : vs.dataScripts()) {
        DataScriptConfig script = scripts.get(name);
        if (script != null) script.pools().forEach(ref -> byPool.putIfAbsent(ref.pool(), upstream));
      }
    }
    return Map.copyOf(byPool);
  }
}
