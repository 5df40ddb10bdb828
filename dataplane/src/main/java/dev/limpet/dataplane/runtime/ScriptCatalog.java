package dev.limpet.dataplane.runtime;

import dev.limpet.contract.DataPlaneConfig;
import dev.limpet.contract.DataScriptConfig;
import dev.limpet.contract.VirtualServiceConfig;
import dev.limpet.dataplane.persistence.TableRegistry;
import dev.limpet.dataplane.script.CompiledDataScript;
import dev.limpet.dataplane.script.DataScriptEngine;
import dev.limpet.dataplane.script.RegistryScriptTables;
import dev.limpet.dataplane.script.ScriptPools;
import dev.limpet.dataplane.script.VirtualServiceScripts;
import dev.limpet.dataplane.tls.CertificatesPendingException;
import dev.limpet.dataplane.upstream.PoolCatalog;
import dev.limpet.dataplane.upstream.Server;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The DataScripts of one configuration, compiled once: a script whose configuration did not change
 * keeps its compiled code from the previous catalog.
 */
public final class ScriptCatalog {
  public static final ScriptCatalog EMPTY = new ScriptCatalog(Map.of(), Map.of());

  private record Compiled(DataScriptConfig config, CompiledDataScript code) {}

  private final Map<String, Compiled> byName;
  private final Map<String, VirtualServiceScripts> byVirtualService;

  private ScriptCatalog(
      Map<String, Compiled> byName, Map<String, VirtualServiceScripts> byVirtualService) {
    this.byName = byName;
    this.byVirtualService = byVirtualService;
  }

  /** Where the bytes of a script's crypto keys come from (the data plane's Secret). */
  public interface CryptoKeys {
    /**
     * @throws CertificatesPendingException when the Secret does not hold the key yet
     */
    byte[] bytes(DataScriptConfig script, DataScriptConfig.CryptoKey key)
        throws CertificatesPendingException;
  }

  /**
   * @throws CertificatesPendingException when a script's crypto key is not in the Secret yet
   */
  public static ScriptCatalog build(
      DataPlaneConfig config,
      ScriptCatalog previous,
      PoolCatalog pools,
      DataScriptEngine engine,
      TableRegistry tables,
      LongSupplier clock,
      CryptoKeys cryptoKeys)
      throws CertificatesPendingException {
    Map<String, Compiled> byName = new HashMap<>();
    for (DataScriptConfig script : config.dataScripts()) {
      Compiled old = previous.byName.get(script.name());
      if (old != null && old.config().equals(script)) {
        byName.put(script.name(), old);
        continue;
      }
      Map<String, byte[]> keys = new HashMap<>();
      for (var key : script.cryptoKeys()) keys.put(key.name(), cryptoKeys.bytes(script, key));
      byName.put(script.name(), new Compiled(script, CompiledDataScript.compile(script, keys)));
    }
    Map<String, VirtualServiceScripts> byVirtualService = new HashMap<>();
    for (VirtualServiceConfig vs : config.virtualServices()) {
      if (vs.dataScripts().isEmpty()) continue;
      List<CompiledDataScript> scripts =
          vs.dataScripts().stream().map(n -> byName.get(n).code()).toList();
      byVirtualService.put(
          vs.name(),
          engine.virtualService(
              vs.name(),
              vs.pool(),
              scripts,
              new RegistryScriptTables(tables, vs.name(), clock),
              scriptPools(pools)));
    }
    return new ScriptCatalog(byName, byVirtualService);
  }

  /** The pools as scripts see them; consistent hashing uses each pool's own ring. */
  private static ScriptPools scriptPools(PoolCatalog pools) {
    return new ScriptPools() {
      @Override
      public List<Server> members(String pool) {
        var p = pools.pool(pool);
        return p == null ? List.of() : p.servers();
      }

      @Override
      public Server consistentHash(String pool, String key) {
        var p = pools.pool(pool);
        return p == null ? null : p.consistentHash(key);
      }
    };
  }

  /** The scripts of {@code virtualService}, or null when it runs none. */
  public VirtualServiceScripts forVirtualService(String virtualService) {
    return byVirtualService.get(virtualService);
  }

  /** True when {@code table} belongs to a virtual service that runs scripts. */
  public boolean ownsTable(String table) {
    for (String vs : byVirtualService.keySet())
      if (table.startsWith(RegistryScriptTables.prefix(vs))) return true;
    return false;
  }
}
