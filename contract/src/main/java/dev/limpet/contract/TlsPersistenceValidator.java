package dev.limpet.contract;

import dev.limpet.contract.PersistenceProfileConfig.Type;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks that a pool with TLS persistence is only reached through TLS virtual services: elsewhere
 * there is no TLS session to pin, and the profile would silently do nothing.
 */
final class TlsPersistenceValidator {
  private final ConfigProblems problems;

  TlsPersistenceValidator(ConfigProblems problems) {
    this.problems = problems;
  }

  /**
   * @param profiles every persistence profile by name
   */
  void check(DataPlaneConfig c, Map<String, PersistenceProfileConfig> profiles) {
    Map<String, String> tlsProfileByPool = new HashMap<>();
    for (PoolConfig pool : c.pools()) {
      PersistenceProfileConfig profile = profiles.get(pool.persistenceProfile());
      if (profile != null && profile.type() == Type.TLS)
        tlsProfileByPool.put(pool.name(), profile.name());
    }
    if (tlsProfileByPool.isEmpty()) return;
    Map<String, DataScriptConfig> scripts = new HashMap<>();
    c.dataScripts().forEach(s -> scripts.put(s.name(), s));
    for (int i = 0; i < c.virtualServices().size(); i++) {
      VirtualServiceConfig vs = c.virtualServices().get(i);
      if (vs.tls() != null) continue;
      String path = "virtualServices[" + i + "]";
      notTlsPersistent(path + ".pool", vs.pool(), tlsProfileByPool);
      for (int j = 0; j < vs.dataScripts().size(); j++) {
        DataScriptConfig script = scripts.get(vs.dataScripts().get(j));
        if (script == null) continue;
        for (var ref : script.pools())
          notTlsPersistent(path + ".dataScripts[" + j + "]", ref.pool(), tlsProfileByPool);
      }
    }
  }

  private void notTlsPersistent(String path, String pool, Map<String, String> tlsProfileByPool) {
    String profile = tlsProfileByPool.get(pool);
    if (profile != null)
      problems.add(
          path,
          "pool '"
              + pool
              + "' uses the TLS persistence profile '"
              + profile
              + "', which needs TLS: this virtual service has no tls block");
  }
}
