package dev.limpet.operator.render;

import dev.limpet.contract.ClientAddressConfig;
import dev.limpet.contract.ClientCertificatesConfig;
import dev.limpet.contract.DataScriptConfig;
import dev.limpet.contract.HealthMonitorConfig;
import dev.limpet.contract.Http2Config;
import dev.limpet.contract.LimitsConfig;
import dev.limpet.contract.LoadBalancingConfig;
import dev.limpet.contract.NetworkSecurityConfig;
import dev.limpet.contract.PersistenceProfileConfig;
import dev.limpet.contract.PoolConfig;
import dev.limpet.contract.ServerConfig;
import dev.limpet.contract.TimeoutsConfig;
import dev.limpet.contract.TlsCertificateConfig;
import dev.limpet.contract.TlsConfig;
import dev.limpet.contract.UpstreamTlsConfig;
import dev.limpet.contract.VirtualServiceConfig;
import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.PersistenceProfileSpec;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.PoolSpec;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.api.VirtualServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Renders one custom resource into its data-plane record. Absent fields stay absent (null or 0):
 * the contract records fill in the same defaults the CRD schema declares, so a resource behaves the
 * same whether or not the API server applied the schema's defaults.
 */
public final class ResourceRenderer {
  private ResourceRenderer() {}

  public static PersistenceProfileConfig profile(PersistenceProfile resource) {
    PersistenceProfileSpec s = resource.getSpec();
    return new PersistenceProfileConfig(
        resource.getMetadata().getName(), s.type(), s.onServerDown(), s.settings());
  }

  /** A pool's health monitors, each named {@code <pool>/<monitor>} to be unique in a group. */
  public static List<HealthMonitorConfig> monitors(Pool resource) {
    List<PoolSpec.HealthMonitor> monitors = resource.getSpec().healthMonitors();
    if (monitors == null) return List.of();
    return monitors.stream()
        .map(
            m ->
                new HealthMonitorConfig(
                    monitorName(resource, m),
                    m.type(),
                    orZero(m.intervalSeconds()),
                    orZero(m.timeoutSeconds()),
                    orZero(m.successfulChecks()),
                    orZero(m.failedChecks()),
                    m.http() == null
                        ? null
                        : new HealthMonitorConfig.HttpCheck(
                            m.http().method(),
                            m.http().path(),
                            m.http().expectedStatus(),
                            m.http().host()),
                    m.grpc() == null
                        ? null
                        : new HealthMonitorConfig.GrpcCheck(
                            m.grpc().service(), m.grpc().authority())))
        .toList();
  }

  /** The pool with its listed servers first, then {@code endpointServers} from its Service. */
  public static PoolConfig pool(Pool resource, List<ServerConfig> endpointServers) {
    PoolSpec s = resource.getSpec();
    var lb = s.loadBalancing();
    List<ServerConfig> servers = new ArrayList<>(staticServers(s));
    servers.addAll(endpointServers);
    return new PoolConfig(
        resource.getMetadata().getName(),
        lb == null ? null : new LoadBalancingConfig(lb.algorithm(), lb.hashKey(), lb.hashName()),
        servers,
        Optional.ofNullable(s.healthMonitors()).orElse(List.of()).stream()
            .map(m -> monitorName(resource, m))
            .toList(),
        s.persistenceProfile(),
        orZero(s.maxConnectionsPerServer()),
        orZero(s.drainPeriodSeconds()),
        orZero(s.tunnelDrainSeconds()),
        s.protocol());
  }

  public static DataScriptConfig script(DataScript resource) {
    var s = resource.getSpec();
    var e = s.events();
    return new DataScriptConfig(
        resource.getMetadata().getName(),
        e == null
            ? null
            : new DataScriptConfig.Events(
                e.httpRequest(), e.httpResponse(), e.httpResponseFailed()),
        Optional.ofNullable(s.pools()).orElse(List.of()).stream()
            .map(p -> new DataScriptConfig.PoolRef(p.pool(), p.scriptName()))
            .toList(),
        Optional.ofNullable(s.ipGroups()).orElse(List.of()).stream()
            .map(g -> new DataScriptConfig.IpGroup(g.name(), g.addresses()))
            .toList(),
        Optional.ofNullable(s.stringGroups()).orElse(List.of()).stream()
            .map(g -> new DataScriptConfig.StringGroup(g.name(), g.strings(), g.map()))
            .toList(),
        Optional.ofNullable(s.rateLimiters()).orElse(List.of()).stream()
            .map(
                r ->
                    new DataScriptConfig.RateLimiter(
                        r.name(),
                        r.count() == null ? 0 : r.count(),
                        r.periodSeconds(),
                        r.burst(),
                        r.maxKeys(),
                        r.action() == null
                            ? null
                            : DataScriptConfig.RateLimitAction.valueOf(r.action().name()),
                        r.status()))
            .toList(),
        Optional.ofNullable(s.cryptoKeys()).orElse(List.of()).stream()
            .map(
                k ->
                    new DataScriptConfig.CryptoKey(
                        k.name(),
                        DataScriptConfig.CryptoKey.secretKey(
                            resource.getMetadata().getName(), k.name()),
                        null))
            .toList());
  }

  /**
   * {@code script} with the digest of each crypto key's bytes ({@code keys}, by key name), which
   * the data plane checks against its Secret; a key without bytes keeps none, which validation
   * refuses.
   */
  public static DataScriptConfig withKeyDigests(DataScriptConfig script, Map<String, byte[]> keys) {
    if (script.cryptoKeys().isEmpty()) return script;
    return new DataScriptConfig(
        script.name(),
        script.events(),
        script.pools(),
        script.ipGroups(),
        script.stringGroups(),
        script.rateLimiters(),
        script.cryptoKeys().stream()
            .map(
                k ->
                    new DataScriptConfig.CryptoKey(
                        k.name(),
                        k.secretKey(),
                        keys.containsKey(k.name())
                            ? DataScriptConfig.CryptoKey.digest(keys.get(k.name()))
                            : null))
            .toList());
  }

  /**
   * @param digests the sha256 of each certificate Secret's content as served (see {@link
   *     ServedCertificate}); a certificate without one renders without, which validation refuses
   */
  public static VirtualServiceConfig virtualService(
      VirtualService resource, Map<String, String> digests) {
    VirtualServiceSpec s = resource.getSpec();
    return new VirtualServiceConfig(
        resource.getMetadata().getName(),
        s.address(),
        orZero(s.port()),
        s.hostnames(),
        s.pool(),
        map(
            s.networkSecurity(),
            ns -> new NetworkSecurityConfig(ns.allow(), ns.deny(), ns.action())),
        map(
            s.timeouts(),
            t ->
                new TimeoutsConfig(
                    orZero(t.connectMs()),
                    orZero(t.clientIdleMs()),
                    orZero(t.headerReadMs()),
                    orZero(t.upstreamResponseMs()))),
        map(
            s.limits(),
            l ->
                new LimitsConfig(
                    orZero(l.maxHeaderBytes()),
                    orZero(l.maxUriBytes()),
                    orZero(l.maxConnections()))),
        s.dataScripts(),
        map(s.tls(), tls -> tls(tls, digests)),
        map(s.clientAddress(), ResourceRenderer::clientAddress),
        map(
            s.http2(),
            h ->
                new Http2Config(
                    Boolean.TRUE.equals(h.enabled()),
                    orZero(h.maxConcurrentStreams()),
                    orZero(h.maxHeaderListBytes()))));
  }

  private static ClientAddressConfig clientAddress(VirtualServiceSpec.ClientAddress c) {
    return new ClientAddressConfig(
        map(c.proxyProtocol(), p -> new ClientAddressConfig.ProxyProtocol(p.sources())),
        map(c.forwardedFor(), f -> new ClientAddressConfig.ForwardedFor(f.trustedProxies())));
  }

  /** Certificates are named by their Secret, whose PEM the group's TLS Secret carries. */
  private static TlsConfig tls(VirtualServiceSpec.Tls tls, Map<String, String> digests) {
    var upstream = tls.upstream();
    return new TlsConfig(
        Optional.ofNullable(tls.certificates()).orElse(List.of()).stream()
            .map(
                c ->
                    new TlsCertificateConfig(
                        c.secretName(),
                        null,
                        null,
                        c.secretName(),
                        digests.get(c.secretName()),
                        c.hostnames()))
            .toList(),
        tls.defaultCertificate(),
        map(
            tls.protocols(),
            list -> list.stream().map(VirtualServiceSpec.Protocol::version).toList()),
        tls.ciphers(),
        map(
            upstream,
            u -> new UpstreamTlsConfig(u.verify(), null, u.caCertificates(), u.serverName())),
        map(
            tls.clientCertificates(),
            c ->
                new ClientCertificatesConfig(
                    c.mode() == null
                        ? null
                        : c.mode() == VirtualServiceSpec.ClientCertificateMode.Require
                            ? ClientCertificatesConfig.Mode.REQUIRE
                            : ClientCertificatesConfig.Mode.REQUEST,
                    c.caCertificates())));
  }

  private static List<ServerConfig> staticServers(PoolSpec s) {
    if (s.servers() == null) return List.of();
    return s.servers().stream()
        .map(
            v ->
                new ServerConfig(
                    v.name(),
                    v.ip(),
                    orZero(v.port()),
                    orZero(v.ratio()),
                    v.enabled(),
                    false,
                    v.headerValue()))
        .toList();
  }

  private static String monitorName(Pool pool, PoolSpec.HealthMonitor monitor) {
    return pool.getMetadata().getName() + "/" + monitor.name();
  }

  private static <T, R> R map(T value, Function<T, R> f) {
    return value == null ? null : f.apply(value);
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  private static double orZero(Double value) {
    return value == null ? 0 : value;
  }
}
