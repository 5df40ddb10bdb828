package dev.limpet.contract;

import java.util.List;

/**
 * One virtual service: a listener (address and port), optional hostnames that select it by Host
 * header when several share a port, its default pool and what guards it; {@code tls} null means
 * plain HTTP.
 */
public record VirtualServiceConfig(
    String name,
    String address,
    int port,
    List<String> hostnames,
    String pool,
    NetworkSecurityConfig networkSecurity,
    TimeoutsConfig timeouts,
    LimitsConfig limits,
    List<String> dataScripts,
    TlsConfig tls) {

  public VirtualServiceConfig {
    address = Defaults.orElse(address, "0.0.0.0");
    hostnames =
        Defaults.list(hostnames).stream().map(h -> h.toLowerCase(java.util.Locale.ROOT)).toList();
    networkSecurity = Defaults.orElse(networkSecurity, NetworkSecurityConfig.OPEN);
    timeouts = Defaults.orElse(timeouts, TimeoutsConfig.DEFAULT);
    limits = Defaults.orElse(limits, LimitsConfig.DEFAULT);
    dataScripts = Defaults.list(dataScripts);
  }
}
