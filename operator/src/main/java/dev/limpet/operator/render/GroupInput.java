package dev.limpet.operator.render;

import dev.limpet.contract.ServerConfig;
import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.VirtualService;
import java.util.List;
import java.util.Map;

/**
 * What one data-plane group's configuration is made of, all from one namespace.
 *
 * @param virtualServices the virtual services to serve: accepted, references resolved, no conflict
 * @param pools pools by name; at least those the virtual services and their scripts name
 * @param profiles persistence profiles by name
 * @param dataScripts DataScripts by name
 * @param endpointServers each pool's servers from its Service's EndpointSlices, by pool name
 * @param certificates each TLS virtual service's certificates, by virtual service name
 * @param cryptoKeys the bytes of each DataScript's crypto keys, by script then key name
 */
public record GroupInput(
    List<VirtualService> virtualServices,
    Map<String, Pool> pools,
    Map<String, PersistenceProfile> profiles,
    Map<String, DataScript> dataScripts,
    Map<String, List<ServerConfig>> endpointServers,
    Map<String, List<ServedCertificate>> certificates,
    Map<String, Map<String, byte[]>> cryptoKeys) {

  /** A group whose scripts have no crypto keys. */
  public GroupInput(
      List<VirtualService> virtualServices,
      Map<String, Pool> pools,
      Map<String, PersistenceProfile> profiles,
      Map<String, DataScript> dataScripts,
      Map<String, List<ServerConfig>> endpointServers,
      Map<String, List<ServedCertificate>> certificates) {
    this(virtualServices, pools, profiles, dataScripts, endpointServers, certificates, Map.of());
  }

  /** Every certificate the group serves, once per Secret. */
  public Map<String, ServedCertificate> certificatesBySecret() {
    Map<String, ServedCertificate> bySecret = new java.util.TreeMap<>();
    certificates.values().forEach(list -> list.forEach(c -> bySecret.put(c.secretName(), c)));
    return bySecret;
  }
}
