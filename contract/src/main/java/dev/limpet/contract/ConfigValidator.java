package dev.limpet.contract;

import dev.limpet.contract.LoadBalancingConfig.Algorithm;
import dev.limpet.contract.LoadBalancingConfig.HashKey;
import dev.limpet.contract.PersistenceProfileConfig.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Checks a parsed configuration; pure: the same configuration always gives the same problems. */
public final class ConfigValidator {
  private static final Pattern TOKEN = Pattern.compile(PersistenceProfileConfig.TOKEN);
  private static final Pattern STATUS = Pattern.compile("[1-5](xx|\\d\\d)");
  private static final Pattern HOSTNAME =
      Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  private final List<String> problems = new ArrayList<>();

  private ConfigValidator() {}

  /** Every problem of {@code config}, each starting with the path of its field; empty if valid. */
  public static List<String> validate(DataPlaneConfig config) {
    ConfigValidator v = new ConfigValidator();
    v.check(config);
    return List.copyOf(v.problems);
  }

  private void check(DataPlaneConfig c) {
    Set<String> monitors = names(c.healthMonitors(), HealthMonitorConfig::name, "healthMonitors");
    Set<String> profiles =
        names(c.persistenceProfiles(), PersistenceProfileConfig::name, "persistenceProfiles");
    Set<String> pools = names(c.pools(), PoolConfig::name, "pools");
    Set<String> scripts = names(c.dataScripts(), DataScriptConfig::name, "dataScripts");
    names(c.virtualServices(), VirtualServiceConfig::name, "virtualServices");

    for (int i = 0; i < c.healthMonitors().size(); i++)
      monitor("healthMonitors[" + i + "]", c.healthMonitors().get(i));
    for (int i = 0; i < c.persistenceProfiles().size(); i++)
      profile("persistenceProfiles[" + i + "]", c.persistenceProfiles().get(i));
    Map<String, PersistenceProfileConfig> profileByName = new HashMap<>();
    c.persistenceProfiles().forEach(p -> profileByName.put(p.name(), p));
    for (int i = 0; i < c.pools().size(); i++)
      pool("pools[" + i + "]", c.pools().get(i), monitors, profiles, profileByName);
    for (int i = 0; i < c.dataScripts().size(); i++)
      script("dataScripts[" + i + "]", c.dataScripts().get(i), pools);
    for (int i = 0; i < c.virtualServices().size(); i++)
      virtualService("virtualServices[" + i + "]", c.virtualServices().get(i), pools, scripts);
    listeners(c.virtualServices());
    tlsPersistence(c, profileByName);
    var limits = c.scriptLimits();
    range("scriptLimits.maxInstructions", limits.maxInstructions(), 1_000, 1_000_000_000);
    range("scriptLimits.wallClockMs", limits.wallClockMs(), 1, 60_000);
    range("scriptLimits.maxCallDepth", limits.maxCallDepth(), 10, 10_000);
    range("scriptLimits.maxAllocatedMb", limits.maxAllocatedMb(), 1, 4_096);
    range("scriptLimits.maxStringBytes", limits.maxStringBytes(), 1_024, 256 << 20);
    range("scriptLimits.maxResults", limits.maxResults(), 100, 1_000_000);
    range("scriptLimits.maxDateFormatBytes", limits.maxDateFormatBytes(), 16, 65_536);
    range("scriptLimits.maxScriptBodyBytes", limits.maxScriptBodyBytes(), 1_024, 32 << 20);
  }

  private <T> Set<String> names(List<T> items, Function<T, String> name, String path) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String n = name.apply(items.get(i));
      if (n == null || n.isBlank()) problem(path + "[" + i + "].name", "is required");
      else if (!seen.add(n)) problem(path + "[" + i + "].name", "'" + n + "' is used twice");
    }
    return seen;
  }

  private void monitor(String path, HealthMonitorConfig m) {
    if (m.timeoutSeconds() > m.intervalSeconds())
      problem(
          path + ".timeoutSeconds",
          "must not exceed intervalSeconds (" + m.intervalSeconds() + ")");
    if (m.type() == HealthMonitorConfig.Type.Http) {
      if (!TOKEN.matcher(m.http().method()).matches())
        problem(path + ".http.method", "'" + m.http().method() + "' is not an HTTP method");
      if (!m.http().path().startsWith("/")) problem(path + ".http.path", "must start with /");
      for (int i = 0; i < m.http().expectedStatus().size(); i++) {
        String s = m.http().expectedStatus().get(i);
        if (!STATUS.matcher(s).matches())
          problem(
              path + ".http.expectedStatus[" + i + "]",
              "'" + s + "' is not a status code (200) or class (2xx)");
      }
    } else if (m.http() != null) {
      problem(path + ".http", "is only allowed with type Http");
    }
  }

  private void profile(String path, PersistenceProfileConfig p) {
    if (p.type() == null) {
      problem(
          path + ".type",
          "is required ("
              + Arrays.stream(Type.values()).map(Type::name).collect(Collectors.joining(", "))
              + ")");
      return;
    }
    PersistenceProfileConfig.Settings settings = p.settings();
    String block = path + "." + settings.type().block();
    if (settings.type() != p.type()) {
      problem(block, "is only allowed with the matching type");
      return;
    }
    RecordSchema.problems(settings).forEach((field, m) -> problem(block + "." + field, m));
    settings.crossFieldProblems().forEach((field, m) -> problem(block + "." + field, m));
  }

  private void pool(
      String path,
      PoolConfig p,
      Set<String> monitors,
      Set<String> profiles,
      Map<String, PersistenceProfileConfig> profileByName) {
    for (int i = 0; i < p.healthMonitors().size(); i++) {
      if (!monitors.contains(p.healthMonitors().get(i)))
        problem(
            path + ".healthMonitors[" + i + "]",
            "no health monitor named '" + p.healthMonitors().get(i) + "'");
    }
    if (p.persistenceProfile() != null && !profiles.contains(p.persistenceProfile()))
      problem(
          path + ".persistenceProfile",
          "no persistence profile named '" + p.persistenceProfile() + "'");
    if (p.maxConnectionsPerServer() < 0)
      problem(path + ".maxConnectionsPerServer", "must be 0 (unlimited) or more");
    var lb = p.loadBalancing();
    if (lb.algorithm() == Algorithm.ConsistentHash
        && lb.hashKey() != HashKey.ClientIP
        && (lb.hashName() == null || !TOKEN.matcher(lb.hashName()).matches()))
      problem(
          path + ".loadBalancing.hashName",
          "a header or cookie name is required with hashKey " + lb.hashKey());
    Set<String> keys = new HashSet<>();
    Set<String> names = new HashSet<>();
    boolean customHeader =
        p.persistenceProfile() != null
            && profileByName.containsKey(p.persistenceProfile())
            && profileByName.get(p.persistenceProfile()).type() == Type.CustomHeader;
    for (int i = 0; i < p.servers().size(); i++) {
      String sp = path + ".servers[" + i + "]";
      ServerConfig s = p.servers().get(i);
      if (s.ip() == null) {
        problem(sp + ".ip", "is required");
        continue;
      }
      try {
        Cidr.parse(s.ip());
        if (s.ip().contains("/")) problem(sp + ".ip", "must be an address, not a block");
      } catch (IllegalArgumentException e) {
        problem(sp + ".ip", e.getMessage());
      }
      range(sp + ".port", s.port(), 1, 65_535);
      range(sp + ".ratio", s.ratio(), 1, 100);
      if (!keys.add(s.key())) problem(sp, "server " + s.key() + " is listed twice");
      if (!names.add(s.name())) problem(sp + ".name", "'" + s.name() + "' is used twice");
      if (customHeader && s.headerValue() == null)
        problem(sp + ".headerValue", "is required: the pool uses CustomHeader persistence");
    }
  }

  private void script(String path, DataScriptConfig s, Set<String> pools) {
    var e = s.events();
    if (e.httpRequest() == null && e.httpResponse() == null && e.httpResponseFailed() == null)
      problem(
          path + ".events", "needs at least one of httpRequest, httpResponse, httpResponseFailed");
    Set<String> aliases = new HashSet<>();
    for (int i = 0; i < s.pools().size(); i++) {
      var ref = s.pools().get(i);
      if (ref.pool() == null || !pools.contains(ref.pool()))
        problem(path + ".pools[" + i + "].pool", "no pool named '" + ref.pool() + "'");
      if (ref.scriptName() != null && !aliases.add(ref.scriptName()))
        problem(path + ".pools[" + i + "].scriptName", "'" + ref.scriptName() + "' is used twice");
    }
    groups(path, s);
    scriptEvent(path + ".events.httpRequest", s.name(), "httpRequest", e.httpRequest(), aliases);
    scriptEvent(path + ".events.httpResponse", s.name(), "httpResponse", e.httpResponse(), aliases);
    scriptEvent(
        path + ".events.httpResponseFailed",
        s.name(),
        "httpResponseFailed",
        e.httpResponseFailed(),
        aliases);
  }

  /** The most entries one group may hold: lookups stay fast, but the config must stay sane. */
  static final int MAX_GROUP_ENTRIES = 100_000;

  private void groups(String path, DataScriptConfig s) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < s.ipGroups().size(); i++) {
      var g = s.ipGroups().get(i);
      String gp = path + ".ipGroups[" + i + "]";
      if (g.name() == null || g.name().isEmpty()) problem(gp + ".name", "is required");
      else if (!names.add(g.name())) problem(gp + ".name", "'" + g.name() + "' is used twice");
      if (g.addresses().size() > MAX_GROUP_ENTRIES)
        problem(gp + ".addresses", "at most " + MAX_GROUP_ENTRIES + " entries");
      for (int a = 0; a < g.addresses().size(); a++) {
        try {
          Cidr.parse(String.valueOf(g.addresses().get(a)));
        } catch (IllegalArgumentException e) {
          problem(gp + ".addresses[" + a + "]", e.getMessage());
        }
      }
    }
    names.clear();
    for (int i = 0; i < s.stringGroups().size(); i++) {
      var g = s.stringGroups().get(i);
      String gp = path + ".stringGroups[" + i + "]";
      if (g.name() == null || g.name().isEmpty()) problem(gp + ".name", "is required");
      else if (!names.add(g.name())) problem(gp + ".name", "'" + g.name() + "' is used twice");
      if (!g.strings().isEmpty() && !g.map().isEmpty())
        problem(gp, "has strings or a map, not both");
      if (g.strings().size() + g.map().size() > MAX_GROUP_ENTRIES)
        problem(gp, "at most " + MAX_GROUP_ENTRIES + " entries");
      if (g.strings().stream().anyMatch(String::isEmpty) || g.map().containsKey(""))
        problem(gp, "entries must not be empty");
    }
    names.clear();
    for (int i = 0; i < s.rateLimiters().size(); i++) {
      var r = s.rateLimiters().get(i);
      String rp = path + ".rateLimiters[" + i + "]";
      if (r.name() == null || r.name().isEmpty()) problem(rp + ".name", "is required");
      else if (!names.add(r.name())) problem(rp + ".name", "'" + r.name() + "' is used twice");
      if (r.count() < 1 || r.count() > MAX_RATE_COUNT)
        problem(rp + ".count", "must be 1.." + MAX_RATE_COUNT);
      if (r.periodSeconds() < 1 || r.periodSeconds() > MAX_RATE_PERIOD_SECONDS)
        problem(rp + ".periodSeconds", "must be 1.." + MAX_RATE_PERIOD_SECONDS);
      if (r.burst() < 0 || r.burst() > MAX_RATE_COUNT)
        problem(rp + ".burst", "must be 0.." + MAX_RATE_COUNT);
      if (r.maxKeys() < 1 || r.maxKeys() > MAX_RATE_KEYS)
        problem(rp + ".maxKeys", "must be 1.." + MAX_RATE_KEYS);
      if (r.status() < 200 || r.status() > 599) problem(rp + ".status", "must be 200..599");
    }
    names.clear();
    for (int i = 0; i < s.cryptoKeys().size(); i++) {
      var k = s.cryptoKeys().get(i);
      String kp = path + ".cryptoKeys[" + i + "]";
      if (k.name() == null || k.name().isEmpty()) problem(kp + ".name", "is required");
      else if (!names.add(k.name())) problem(kp + ".name", "'" + k.name() + "' is used twice");
      if (k.secretKey() == null || !SECRET_KEY.matcher(k.secretKey()).matches())
        problem(kp + ".secretKey", "a Secret data key ([-._a-zA-Z0-9]+) is required");
      if (k.sha256() == null || !SHA256.matcher(k.sha256()).matches())
        problem(kp + ".sha256", "64 lower-case hex digits are required");
    }
  }

  /** Bounds of a rate limiter: the keys it tracks are memory a hostile client could grow. */
  static final int MAX_RATE_COUNT = 1_000_000;

  static final int MAX_RATE_PERIOD_SECONDS = 86_400;
  static final int MAX_RATE_KEYS = 1_000_000;

  /**
   * A source that does not compile, names a function Limpet does not offer, or selects a constant
   * pool name it may not use, is refused.
   */
  private void scriptEvent(
      String path, String script, String event, String source, Set<String> aliases) {
    if (source == null) return;
    var result = DataScriptCompiler.compile(script, event, source);
    if (result instanceof DataScriptCompiler.SyntaxError error) {
      problem(path, error.toString());
      return;
    }
    var prototype = ((DataScriptCompiler.Compiled) result).prototype();
    for (var unavailable : ApiNameScanner.scan(prototype)) problem(path, unavailable.toString());
    for (var literal : PoolLiteralScanner.scan(prototype)) {
      if (!aliases.contains(literal.pool()))
        problem(
            path,
            "line "
                + literal.line()
                + ": avi.pool.select names pool '"
                + literal.pool()
                + "', which is not in this DataScript's pools "
                + new TreeSet<>(aliases));
    }
  }

  private void virtualService(
      String path, VirtualServiceConfig vs, Set<String> pools, Set<String> scripts) {
    range(path + ".port", vs.port(), 1, 65_535);
    try {
      Cidr.parse(vs.address());
    } catch (IllegalArgumentException e) {
      problem(path + ".address", e.getMessage());
    }
    if (vs.pool() == null) problem(path + ".pool", "is required");
    else if (!pools.contains(vs.pool()))
      problem(path + ".pool", "no pool named '" + vs.pool() + "'");
    for (int i = 0; i < vs.dataScripts().size(); i++) {
      if (!scripts.contains(vs.dataScripts().get(i)))
        problem(
            path + ".dataScripts[" + i + "]",
            "no DataScript named '" + vs.dataScripts().get(i) + "'");
    }
    var ns = vs.networkSecurity();
    cidrs(path + ".networkSecurity.allow", ns.allow());
    cidrs(path + ".networkSecurity.deny", ns.deny());
    hostnames(path + ".hostnames", vs.hostnames());
    if (vs.tls() != null) tls(path + ".tls", vs.tls());
  }

  private void hostnames(String path, List<String> hostnames) {
    for (int i = 0; i < hostnames.size(); i++) {
      String h = hostnames.get(i);
      if (!HOSTNAME.matcher(h).matches())
        problem(path + "[" + i + "]", "'" + h + "' is not a hostname (a leading '*.' is allowed)");
    }
  }

  private void tls(String path, TlsConfig tls) {
    if (tls.certificates().isEmpty()) problem(path + ".certificates", "needs at least one");
    Set<String> certificates =
        names(tls.certificates(), TlsCertificateConfig::name, path + ".certificates");
    for (int i = 0; i < tls.certificates().size(); i++)
      certificate(path + ".certificates[" + i + "]", tls.certificates().get(i));
    if (tls.defaultCertificate() != null && !certificates.contains(tls.defaultCertificate()))
      problem(
          path + ".defaultCertificate", "no certificate named '" + tls.defaultCertificate() + "'");
    for (int i = 0; i < tls.protocols().size(); i++) {
      if (!TlsConfig.PROTOCOLS.contains(tls.protocols().get(i)))
        problem(
            path + ".protocols[" + i + "]",
            "'" + tls.protocols().get(i) + "' is not one of " + TlsConfig.PROTOCOLS);
    }
    for (int i = 0; i < tls.ciphers().size(); i++) {
      if (!TlsConfig.SUPPORTED_CIPHERS.contains(tls.ciphers().get(i)))
        problem(
            path + ".ciphers[" + i + "]",
            "'"
                + tls.ciphers().get(i)
                + "' is not a supported cipher suite (IANA names: "
                + String.join(", ", TlsConfig.SUPPORTED_CIPHERS)
                + ")");
    }
    var up = tls.upstream();
    if (up != null && up.caFile() != null && up.caCertificates() != null)
      problem(path + ".upstream", "give caFile or caCertificates, not both");
    if (up != null && !up.verify() && (up.caFile() != null || up.caCertificates() != null))
      problem(path + ".upstream.verify", "is false: a CA bundle would not be used");
    if (up != null && up.serverName() != null && !HOSTNAME.matcher(up.serverName()).matches())
      problem(path + ".upstream.serverName", "'" + up.serverName() + "' is not a hostname");
    var clients = tls.clientCertificates();
    if (clients != null) {
      if (clients.mode() == null)
        problem(path + ".clientCertificates.mode", "is required: REQUEST or REQUIRE");
      if (clients.caCertificates() == null)
        problem(path + ".clientCertificates.caCertificates", "is required");
      else {
        try {
          PemKeyPair.certificates(clients.caCertificates());
        } catch (IllegalArgumentException e) {
          problem(path + ".clientCertificates.caCertificates", e.getMessage());
        }
      }
    }
  }

  /** A certificate comes from files or from the data plane's TLS Secret, never both. */
  private void certificate(String path, TlsCertificateConfig c) {
    boolean files = c.certificateFile() != null || c.keyFile() != null;
    if (files && c.fromSecret())
      problem(path, "give certificateFile and keyFile, or secretKey, not both");
    else if (files && (c.certificateFile() == null || c.keyFile() == null))
      problem(
          path + (c.certificateFile() == null ? ".certificateFile" : ".keyFile"),
          "is required with " + (c.certificateFile() == null ? "keyFile" : "certificateFile"));
    else if (!files && !c.fromSecret())
      problem(path, "needs certificateFile and keyFile, or secretKey and sha256");
    if (c.fromSecret() && !files) {
      if (!SECRET_KEY.matcher(c.secretKey()).matches())
        problem(path + ".secretKey", "'" + c.secretKey() + "' is not a valid Secret key");
      if (c.sha256() == null || !SHA256.matcher(c.sha256()).matches())
        problem(path + ".sha256", "64 lower-case hex digits are required with secretKey");
    } else if (c.sha256() != null) {
      problem(path + ".sha256", "is only allowed with secretKey");
    }
    hostnames(path + ".hostnames", c.hostnames());
  }

  /**
   * A pool with TLS persistence is only reached through TLS virtual services: elsewhere there is no
   * TLS session to pin, and the profile would silently do nothing.
   */
  private void tlsPersistence(DataPlaneConfig c, Map<String, PersistenceProfileConfig> profiles) {
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
      problem(
          path,
          "pool '"
              + pool
              + "' uses the TLS persistence profile '"
              + profile
              + "', which needs TLS: this virtual service has no tls block");
  }

  private void cidrs(String path, List<String> blocks) {
    for (int i = 0; i < blocks.size(); i++) {
      try {
        Cidr.parse(blocks.get(i));
      } catch (IllegalArgumentException e) {
        problem(path + "[" + i + "]", e.getMessage());
      }
    }
  }

  /**
   * Virtual services on one port must be told apart by Host: at most one without hostnames, none
   * shared. They all terminate TLS or none does, with the same protocols and ciphers (the handshake
   * comes before the Host header).
   */
  private void listeners(List<VirtualServiceConfig> services) {
    Map<Integer, Map<String, String>> hostsByPort = new HashMap<>();
    Map<Integer, String> addressByPort = new HashMap<>();
    Map<Integer, VirtualServiceConfig> firstByPort = new HashMap<>();
    for (int i = 0; i < services.size(); i++) {
      VirtualServiceConfig vs = services.get(i);
      String path = "virtualServices[" + i + "]";
      VirtualServiceConfig first = firstByPort.putIfAbsent(vs.port(), vs);
      if (first != null) sharedTls(path, vs, first);
      String address = addressByPort.putIfAbsent(vs.port(), vs.address());
      if (address != null && !address.equals(vs.address()))
        problem(
            path + ".address",
            "port "
                + vs.port()
                + " is already bound on "
                + address
                + " by another virtual service");
      Map<String, String> hosts = hostsByPort.computeIfAbsent(vs.port(), p -> new HashMap<>());
      List<String> own = vs.hostnames().isEmpty() ? List.of("") : vs.hostnames();
      for (String h : own) {
        String other = hosts.putIfAbsent(h, vs.name());
        if (other != null)
          problem(
              path + ".hostnames",
              (h.isEmpty() ? "no hostnames (catch-all)" : "hostname '" + h + "'")
                  + " on port "
                  + vs.port()
                  + " is already taken by virtual service '"
                  + other
                  + "'");
      }
    }
  }

  private void sharedTls(String path, VirtualServiceConfig vs, VirtualServiceConfig first) {
    String other = "virtual service '" + first.name() + "' on port " + vs.port();
    if ((vs.tls() == null) != (first.tls() == null))
      problem(
          path + ".tls",
          (vs.tls() == null ? "is missing: " : "is not allowed: ")
              + other
              + (first.tls() == null ? " is plain HTTP" : " terminates TLS"));
    else if (vs.tls() != null && !vs.tls().protocols().equals(first.tls().protocols()))
      problem(path + ".tls.protocols", "must equal those of " + other);
    else if (vs.tls() != null && !vs.tls().ciphers().equals(first.tls().ciphers()))
      problem(path + ".tls.ciphers", "must equal those of " + other);
  }

  private void range(String path, double value, double min, double max) {
    if (value < min || value > max) problem(path, value + " is out of range " + min + ".." + max);
  }

  private void range(String path, long value, long min, long max) {
    if (value < min || value > max) problem(path, value + " is out of range " + min + ".." + max);
  }

  private void range(String path, int value, int min, int max) {
    if (value < min || value > max) problem(path, value + " is out of range " + min + ".." + max);
  }

  private void problem(String path, String message) {
    problems.add(path + ": " + message);
  }
}
