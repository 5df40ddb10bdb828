package dev.limpet.operator.render;

import dev.limpet.contract.DataPlaneConfig;
import dev.limpet.contract.DataScriptConfig;
import dev.limpet.contract.HealthMonitorConfig;
import dev.limpet.contract.PersistenceProfileConfig;
import dev.limpet.contract.PoolConfig;
import dev.limpet.contract.VirtualServiceConfig;
import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.VirtualService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Renders one data-plane group: its virtual services and exactly the pools, profiles, monitors and
 * scripts they use, each list sorted by name so that the same resources always give the same
 * document and the same version.
 */
public final class GroupRenderer {
  private GroupRenderer() {}

  public static DataPlaneConfig render(GroupInput input) {
    return ConfigDocument.versioned(unversioned(input));
  }

  /** What {@link #render} renders, before its version is set (the costly part of a render). */
  public static DataPlaneConfig unversioned(GroupInput input) {
    List<VirtualService> services =
        input.virtualServices().stream()
            .sorted(Comparator.comparing(vs -> vs.getMetadata().getName()))
            .toList();
    TreeSet<String> scriptNames = new TreeSet<>();
    TreeSet<String> poolNames = new TreeSet<>();
    List<VirtualServiceConfig> vsConfigs = new ArrayList<>();
    for (VirtualService vs : services) {
      Map<String, String> digests = new HashMap<>();
      input
          .certificates()
          .getOrDefault(vs.getMetadata().getName(), List.of())
          .forEach(c -> digests.put(c.secretName(), c.sha256()));
      VirtualServiceConfig config = ResourceRenderer.virtualService(vs, digests);
      vsConfigs.add(config);
      poolNames.add(config.pool());
      scriptNames.addAll(config.dataScripts());
    }
    List<DataScriptConfig> scripts = new ArrayList<>();
    for (String name : scriptNames) {
      DataScript script = require(input.dataScripts().get(name), "DataScript", name);
      DataScriptConfig config =
          ResourceRenderer.withKeyDigests(
              ResourceRenderer.script(script), input.cryptoKeys().getOrDefault(name, Map.of()));
      scripts.add(config);
      config.pools().forEach(ref -> poolNames.add(ref.pool()));
    }
    TreeSet<String> profileNames = new TreeSet<>();
    List<PoolConfig> pools = new ArrayList<>();
    List<HealthMonitorConfig> monitors = new ArrayList<>();
    for (String name : poolNames) {
      Pool pool = require(input.pools().get(name), "Pool", name);
      PoolConfig config =
          ResourceRenderer.pool(pool, input.endpointServers().getOrDefault(name, List.of()));
      pools.add(config);
      monitors.addAll(ResourceRenderer.monitors(pool));
      if (config.persistenceProfile() != null) profileNames.add(config.persistenceProfile());
    }
    List<PersistenceProfileConfig> profiles =
        profileNames.stream()
            .map(
                name ->
                    ResourceRenderer.profile(
                        require(input.profiles().get(name), "PersistenceProfile", name)))
            .toList();
    return new DataPlaneConfig(null, vsConfigs, pools, profiles, monitors, scripts, null, null);
  }

  private static <T> T require(T value, String kind, String name) {
    // the caller includes only virtual services whose references resolved
    return Objects.requireNonNull(value, () -> kind + " '" + name + "' is missing from the input");
  }
}
