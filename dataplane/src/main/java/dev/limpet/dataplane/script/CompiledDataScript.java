package dev.limpet.dataplane.script;

import dev.limpet.contract.ApiNameScanner;
import dev.limpet.contract.DataScriptCompiler;
import dev.limpet.contract.DataScriptConfig;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.Prototype;

/**
 * A DataScript compiled once per configuration version: code per event it handles and the pools it
 * may name. Immutable; shared by every thread and request.
 */
public final class CompiledDataScript {
  private final String name;

  /** The chunk of each event, by ordinal; null where the script does not handle it. */
  private final ScriptChunk[] chunks = new ScriptChunk[ScriptEvent.values().length];

  private final Map<String, String> poolsByScriptName;
  private final Map<String, IpRanges> ipGroups;
  private final Map<String, StringGroupIndex> stringGroups;
  private final Map<String, TokenBuckets> rateLimiters;
  private final TokenBuckets firstRateLimiter;
  private final boolean readsRequestBody;
  private final boolean learnsInResponse;
  private final Map<String, byte[]> cryptoKeys;

  CompiledDataScript(
      String name,
      Map<ScriptEvent, ScriptChunk> chunks,
      Map<String, String> poolsByScriptName,
      Map<String, IpRanges> ipGroups,
      Map<String, StringGroupIndex> stringGroups,
      List<TokenBuckets> rateLimiters) {
    this(
        name,
        chunks,
        poolsByScriptName,
        ipGroups,
        stringGroups,
        rateLimiters,
        false,
        false,
        Map.of());
  }

  private CompiledDataScript(
      String name,
      Map<ScriptEvent, ScriptChunk> chunks,
      Map<String, String> poolsByScriptName,
      Map<String, IpRanges> ipGroups,
      Map<String, StringGroupIndex> stringGroups,
      List<TokenBuckets> rateLimiters,
      boolean readsRequestBody,
      boolean learnsInResponse,
      Map<String, byte[]> cryptoKeys) {
    this.readsRequestBody = readsRequestBody;
    this.learnsInResponse = learnsInResponse;
    this.cryptoKeys = cryptoKeys;
    this.name = name;
    chunks.forEach((event, chunk) -> this.chunks[event.ordinal()] = chunk);
    this.poolsByScriptName = poolsByScriptName;
    this.ipGroups = ipGroups;
    this.stringGroups = stringGroups;
    Map<String, TokenBuckets> byName = new HashMap<>();
    for (TokenBuckets r : rateLimiters) byName.put(r.config().name(), r);
    this.rateLimiters = Map.copyOf(byName);
    this.firstRateLimiter = rateLimiters.isEmpty() ? null : rateLimiters.get(0);
  }

  /**
   * Compiles every event of {@code config}. A configuration that passed {@code ConfigValidator}
   * always compiles; anything else is a caller's bug.
   *
   * @throws IllegalArgumentException naming the event and line of a syntax error
   */
  public static CompiledDataScript compile(DataScriptConfig config) {
    return compile(config, Map.of());
  }

  /**
   * Compiles {@code config} with the bytes of its crypto keys, by name.
   *
   * @throws IllegalArgumentException when a declared key has no bytes
   */
  public static CompiledDataScript compile(DataScriptConfig config, Map<String, byte[]> keys) {
    Map<String, byte[]> cryptoKeys = new HashMap<>();
    for (var key : config.cryptoKeys()) {
      byte[] bytes = keys.get(key.name());
      if (bytes == null)
        throw new IllegalArgumentException(
            "DataScript " + config.name() + ": no bytes for crypto key '" + key.name() + "'");
      cryptoKeys.put(key.name(), bytes.clone());
    }
    Map<ScriptEvent, ScriptChunk> chunks = new EnumMap<>(ScriptEvent.class);
    boolean readsBody = false;
    boolean learns = false;
    for (ScriptEvent event : ScriptEvent.values()) {
      String source = event.source(config.events());
      if (source == null) continue;
      var result = DataScriptCompiler.compile(config.name(), event.specKey(), source);
      if (result instanceof DataScriptCompiler.SyntaxError error)
        throw new IllegalArgumentException(
            "DataScript " + config.name() + " " + event.specKey() + ": " + error);
      Prototype prototype = ((DataScriptCompiler.Compiled) result).prototype();
      InternedNames.internConstants(prototype);
      chunks.put(event, ScriptChunk.interpreted(prototype));
      readsBody |= ApiNameScanner.reads(prototype, REQUEST_BODY);
      learns |= event == ScriptEvent.HTTP_RESP && ApiNameScanner.reads(prototype, TABLE_INSERT);
    }
    Map<String, String> pools = new HashMap<>();
    for (var ref : config.pools()) pools.put(ref.scriptName(), ref.pool());
    Map<String, IpRanges> ipGroups = new HashMap<>();
    for (var g : config.ipGroups()) ipGroups.put(g.name(), IpRanges.of(g.addresses()));
    Map<String, StringGroupIndex> stringGroups = new HashMap<>();
    for (var g : config.stringGroups()) stringGroups.put(g.name(), new StringGroupIndex(g));
    List<TokenBuckets> rateLimiters =
        config.rateLimiters().stream().map(r -> new TokenBuckets(r, System::nanoTime)).toList();
    return new CompiledDataScript(
        config.name(),
        chunks,
        Map.copyOf(pools),
        Map.copyOf(ipGroups),
        Map.copyOf(stringGroups),
        rateLimiters,
        readsBody,
        learns,
        Map.copyOf(cryptoKeys));
  }

  /** The function whose use makes the proxy buffer request bodies before HTTP_REQ. */
  static final String REQUEST_BODY = "avi.http.get_req_body";

  /**
   * True when some event of this script names {@code avi.http.get_req_body}: the proxy then buffers
   * request bodies for its virtual service before the scripts run.
   */
  public boolean readsRequestBody() {
    return readsRequestBody;
  }

  /** The function whose use in HTTP_RESP makes a script learn where a key's requests go. */
  static final String TABLE_INSERT = "avi.vs.table_insert";

  /**
   * True when this script's HTTP_RESP event names {@code avi.vs.table_insert}: it learns from a
   * response where later requests go (the Avi idiom: {@code table_lookup} in HTTP_REQ, {@code
   * table_insert} in HTTP_RESP), so requests that arrive before that response find nothing.
   */
  public boolean learnsInResponse() {
    return learnsInResponse;
  }

  public String name() {
    return name;
  }

  /** The code for {@code event}, or null when this script does not handle it. */
  ScriptChunk chunk(ScriptEvent event) {
    return chunks[event.ordinal()];
  }

  /** The configuration name of the pool scripts call {@code scriptName}, or null if not allowed. */
  String pool(String scriptName) {
    return poolsByScriptName.get(scriptName);
  }

  /** The IP group named {@code name}, or null. */
  IpRanges ipGroup(String name) {
    return ipGroups.get(name);
  }

  /** The string group named {@code name}, or null. */
  StringGroupIndex stringGroup(String name) {
    return stringGroups.get(name);
  }

  /** A copy of the bytes of the crypto key declared as {@code name}, or null. */
  byte[] cryptoKey(String name) {
    byte[] key = cryptoKeys.get(name);
    return key == null ? null : key.clone();
  }

  /** The rate limiter named {@code name}, or null. */
  TokenBuckets rateLimiter(String name) {
    return rateLimiters.get(name);
  }

  /** The first rate limiter declared ({@code avi.vs.rate_limit}'s), or null when none is. */
  TokenBuckets firstRateLimiter() {
    return firstRateLimiter;
  }

  /** The names of this script's rate limiters, for error messages. */
  java.util.Set<String> rateLimiterNames() {
    return new java.util.TreeSet<>(rateLimiters.keySet());
  }

  /** The names of this script's groups, for error messages. */
  java.util.Set<String> groupNames(boolean ip) {
    return new java.util.TreeSet<>((ip ? ipGroups : stringGroups).keySet());
  }

  /** The script names of the allowed pools, for error messages. */
  java.util.Set<String> poolScriptNames() {
    return new java.util.TreeSet<>(poolsByScriptName.keySet());
  }
}
