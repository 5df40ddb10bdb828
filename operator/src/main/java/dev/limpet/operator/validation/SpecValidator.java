package dev.limpet.operator.validation;

import dev.limpet.contract.ConfigValidator;
import dev.limpet.contract.DataPlaneConfig;
import dev.limpet.contract.DataScriptCompiler;
import dev.limpet.contract.DataScriptConfig;
import dev.limpet.contract.PemKeyPair;
import dev.limpet.contract.PersistenceProfileConfig;
import dev.limpet.contract.PoolConfig;
import dev.limpet.contract.ServerConfig;
import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.PoolSpec;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.render.ResourceRenderer;
import dev.limpet.operator.rollout.DataPlanePods;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a resource's spec can work, each problem starting with its field path ({@code spec.port:
 * ...}). The data plane's own {@link ConfigValidator} decides, on the resource rendered alone, so
 * the operator accepts exactly what the data plane accepts. The CRD schema catches most of this at
 * admission; this catches the rest, and everything when no schema is installed. References to other
 * objects are not checked here: they are the business of ResolvedRefs.
 */
public final class SpecValidator {
  private static final Pattern SERVER_PATH = Pattern.compile("^servers\\[(\\d+)\\](.*)$");

  /**
   * The ports the data plane itself listens on in every pod the chart runs: a listener there cannot
   * bind, and the VirtualService would wait for its replicas forever.
   */
  private static final Map<Integer, String> DATA_PLANE_PORTS =
      Map.of(
          DataPlanePods.DEFAULT_ADMIN_PORT, "admin port",
          DataPlanePods.DEFAULT_PEER_PORT, "peer (replication) port");

  private SpecValidator() {}

  public static List<String> profile(PersistenceProfile resource) {
    if (resource.getSpec() == null) return List.of("spec: is required");
    var config = ResourceRenderer.profile(resource);
    return problems(
        new DataPlaneConfig(null, null, null, List.of(config), null, null, null, null),
        "persistenceProfiles[0].");
  }

  /**
   * The pool's problems with its current servers.
   *
   * @param profile the pool's persistence profile when it resolved (it decides whether servers need
   *     a headerValue), else null
   * @param endpointServers the servers from its Service, for problems such as a missing headerValue
   */
  public static List<String> pool(
      Pool resource, PersistenceProfileConfig profile, List<ServerConfig> endpointServers) {
    PoolSpec s = resource.getSpec();
    if (s == null) return List.of("spec: is required");
    List<String> problems = new ArrayList<>();
    if (s.service() == null && (s.servers() == null || s.servers().isEmpty()))
      problems.add("spec: a Pool needs a service, servers, or both");
    if (s.service() != null) {
      if (s.service().name() == null) problems.add("spec.service.name: is required");
      if (s.service().port() == null) problems.add("spec.service.port: is required");
      boolean podLabel = s.service().headerValueFrom() == PoolSpec.HeaderValueSource.PodLabel;
      if (podLabel != (s.service().headerValueLabel() != null))
        problems.add(
            "spec.service.headerValueLabel: is required with headerValueFrom PodLabel and only"
                + " allowed with it");
    }
    PoolConfig pool = ResourceRenderer.pool(resource, endpointServers);
    int listed = s.servers() == null ? 0 : s.servers().size();
    DataPlaneConfig slice =
        new DataPlaneConfig(
            null,
            null,
            List.of(pool),
            profile == null ? null : List.of(rename(profile, pool.persistenceProfile())),
            ResourceRenderer.monitors(resource),
            null,
            null,
            null);
    for (String problem : ConfigValidator.validate(slice)) {
      if (problem.startsWith("pools[0].persistenceProfile: no ")) continue;
      if (problem.startsWith("pools[0].")) {
        problems.add(serverPath(problem.substring("pools[0].".length()), pool, listed));
      } else if (problem.startsWith("healthMonitors[")) {
        problems.add("spec." + problem);
      } else if (!problem.startsWith("persistenceProfiles[")) {
        problems.add(problem);
      }
    }
    return problems;
  }

  public static List<String> script(DataScript resource) {
    if (resource.getSpec() == null) return List.of("spec: is required");
    var config = ResourceRenderer.script(resource);
    List<String> problems = new ArrayList<>();
    for (String problem :
        problems(
            new DataPlaneConfig(null, null, null, null, null, List.of(config), null, null),
            "dataScripts[0].")) {
      if (problem.matches("spec\\.pools\\[\\d+\\]\\.pool: no pool named .*")) continue;
      if (isSyntaxError(problem, config)) continue; // reported by the Compiled condition
      // the digest of a crypto key comes with its Secret: ResolvedRefs reports on that
      if (problem.matches("spec\\.cryptoKeys\\[\\d+\\]\\.sha256: .*")) continue;
      problems.add(problem);
    }
    return problems;
  }

  private static boolean isSyntaxError(String problem, DataScriptConfig config) {
    for (var event : ContractScriptCompiler.sources(config).entrySet()) {
      if (event.getValue() != null
          && problem.startsWith("spec.events." + event.getKey() + ": ")
          && DataScriptCompiler.compile(config.name(), event.getKey(), event.getValue())
              instanceof DataScriptCompiler.SyntaxError) return true;
    }
    return false;
  }

  public static List<String> virtualService(VirtualService resource) {
    if (resource.getSpec() == null) return List.of("spec: is required");
    var config = ResourceRenderer.virtualService(resource, Map.of());
    List<String> problems = new ArrayList<>();
    for (String problem :
        problems(
            new DataPlaneConfig(null, List.of(config), null, null, null, null, null, null),
            "virtualServices[0].")) {
      if (problem.startsWith("spec.pool: no pool named ")) continue;
      if (problem.matches("spec\\.dataScripts\\[\\d+\\]: no DataScript named .*")) continue;
      // the digest of a certificate comes with its Secret: ResolvedRefs reports on that
      if (problem.matches("spec\\.tls\\.certificates\\[\\d+\\]\\.sha256: .*")) continue;
      problems.add(problem);
    }
    String taken = DATA_PLANE_PORTS.get(config.port());
    if (taken != null)
      problems.add(
          "spec.port: "
              + config.port()
              + " is the data plane's "
              + taken
              + ", taken in every data-plane pod; use another port");
    var upstream = config.tls() == null ? null : config.tls().upstream();
    if (upstream != null && upstream.caCertificates() != null) {
      try {
        PemKeyPair.certificates(upstream.caCertificates());
      } catch (IllegalArgumentException e) {
        problems.add("spec.tls.upstream.caCertificates: " + e.getMessage());
      }
    }
    return problems;
  }

  private static List<String> problems(DataPlaneConfig slice, String prefix) {
    return ConfigValidator.validate(slice).stream()
        .map(p -> p.startsWith(prefix) ? "spec." + p.substring(prefix.length()) : p)
        .toList();
  }

  /** Listed servers keep their spec path; servers from endpoints are named by address. */
  private static String serverPath(String problem, PoolConfig pool, int listed) {
    Matcher m = SERVER_PATH.matcher(problem);
    if (!m.find()) return "spec." + problem;
    int index = Integer.parseInt(m.group(1));
    if (index < listed) return "spec." + problem;
    ServerConfig server = pool.servers().get(index);
    return "endpoint " + server.key() + m.group(2);
  }

  private static PersistenceProfileConfig rename(PersistenceProfileConfig p, String name) {
    return new PersistenceProfileConfig(name, p.type(), p.onServerDown(), p.settings());
  }
}
