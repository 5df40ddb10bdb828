package dev.limpet.dataplane.config;

import java.util.List;

/**
 * A DataScript: Lua source per event and the pools it may select.
 *
 * @param events Lua source per event; absent events do not run
 * @param pools pools the script may name, each with an optional script-side alias
 */
public record DataScriptConfig(String name, Events events, List<PoolRef> pools) {

  /** Lua source for each event; null where the script has nothing for that event. */
  public record Events(String httpRequest, String httpResponse, String httpResponseFailed) {}

  /**
   * A pool the script may use.
   *
   * @param pool the pool's name in this configuration
   * @param scriptName the name scripts use for it (default: {@code pool})
   */
  public record PoolRef(String pool, String scriptName) {
    public PoolRef {
      scriptName = Defaults.orElse(scriptName, pool);
    }
  }

  public DataScriptConfig {
    events = Defaults.orElse(events, new Events(null, null, null));
    pools = Defaults.list(pools);
  }
}
