package dev.limpet.contract;

import java.util.List;

/**
 * The whole data-plane configuration: the contract the operator renders and the standalone data
 * plane reads from a file. Immutable; absent lists become empty lists.
 */
public record DataPlaneConfig(
    String version,
    List<VirtualServiceConfig> virtualServices,
    List<PoolConfig> pools,
    List<PersistenceProfileConfig> persistenceProfiles,
    List<HealthMonitorConfig> healthMonitors,
    List<DataScriptConfig> dataScripts,
    ScriptLimitsConfig scriptLimits,
    TablesConfig tables) {

  public DataPlaneConfig {
    version = version == null ? "0" : version;
    virtualServices = Defaults.list(virtualServices);
    pools = Defaults.list(pools);
    persistenceProfiles = Defaults.list(persistenceProfiles);
    healthMonitors = Defaults.list(healthMonitors);
    dataScripts = Defaults.list(dataScripts);
    scriptLimits = Defaults.orElse(scriptLimits, ScriptLimitsConfig.DEFAULT);
    tables = tables == null ? new TablesConfig(0) : tables;
  }
}
