package dev.limpet.contract;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a parsed configuration; pure: the same configuration always gives the same problems. Each
 * concern has its own validator; this class runs them in a fixed order, so the problems always come
 * in the same order.
 */
public final class ConfigValidator {
  private ConfigValidator() {}

  /** Every problem of {@code config}, each starting with the path of its field; empty if valid. */
  public static List<String> validate(DataPlaneConfig c) {
    ConfigProblems problems = new ConfigProblems();
    Set<String> monitors =
        problems.names(c.healthMonitors(), HealthMonitorConfig::name, "healthMonitors");
    Set<String> profiles =
        problems.names(
            c.persistenceProfiles(), PersistenceProfileConfig::name, "persistenceProfiles");
    Set<String> pools = problems.names(c.pools(), PoolConfig::name, "pools");
    Set<String> scripts = problems.names(c.dataScripts(), DataScriptConfig::name, "dataScripts");
    problems.names(c.virtualServices(), VirtualServiceConfig::name, "virtualServices");
    Map<String, PersistenceProfileConfig> profileByName = new HashMap<>();
    c.persistenceProfiles().forEach(p -> profileByName.put(p.name(), p));

    var monitor = new HealthMonitorValidator(problems);
    for (int i = 0; i < c.healthMonitors().size(); i++)
      monitor.check("healthMonitors[" + i + "]", c.healthMonitors().get(i));
    var profile = new PersistenceProfileValidator(problems);
    for (int i = 0; i < c.persistenceProfiles().size(); i++)
      profile.check("persistenceProfiles[" + i + "]", c.persistenceProfiles().get(i));
    var pool = new PoolValidator(problems, monitors, profiles, profileByName);
    for (int i = 0; i < c.pools().size(); i++) pool.check("pools[" + i + "]", c.pools().get(i));
    var script = new DataScriptValidator(problems, pools);
    for (int i = 0; i < c.dataScripts().size(); i++)
      script.check("dataScripts[" + i + "]", c.dataScripts().get(i));
    var virtualService = new VirtualServiceValidator(problems, pools, scripts);
    for (int i = 0; i < c.virtualServices().size(); i++)
      virtualService.check("virtualServices[" + i + "]", c.virtualServices().get(i));
    new ListenerValidator(problems).check(c.virtualServices());
    new TlsPersistenceValidator(problems).check(c, profileByName);
    new ScriptLimitsValidator(problems).check(c.scriptLimits());
    return problems.list();
  }
}
