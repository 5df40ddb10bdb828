package dev.limpet.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A DataScript: Lua source per event, the pools it may select and the groups it may read.
 *
 * @param events Lua source per event; absent events do not run
 * @param pools pools the script may name, each with an optional script-side alias
 * @param ipGroups the IP groups {@code avi.ipgroup.*} reads, by name
 * @param stringGroups the string groups {@code avi.stringgroup.*} reads, by name
 * @param rateLimiters the rate limiters {@code avi.vs.rate_limit} and {@code
 *     avi.vs.ratelimit.exceed} use, by name
 */
public record DataScriptConfig(
    String name,
    Events events,
    List<PoolRef> pools,
    // omitted when empty, so a script without groups renders (and hashes) as before
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<IpGroup> ipGroups,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<StringGroup> stringGroups,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RateLimiter> rateLimiters,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<CryptoKey> cryptoKeys) {

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

  /**
   * Avi's IP group: addresses and blocks ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, {@code
   * 192.0.2.7}) that {@code avi.ipgroup.contains} matches a client against.
   */
  public record IpGroup(String name, List<String> addresses) {
    public IpGroup {
      addresses = Defaults.list(addresses);
    }
  }

  /**
   * Avi's string group: plain strings, or keys with a value each ({@code map}); {@code
   * avi.stringgroup.*} matches a string against the strings or the keys.
   */
  public record StringGroup(String name, List<String> strings, Map<String, String> map) {
    public StringGroup {
      strings = Defaults.list(strings);
      map = map == null ? Map.of() : Map.copyOf(map);
    }
  }

  /**
   * A token bucket per key (Avi's rate limiter object): {@code count} requests per {@code
   * periodSeconds}, with {@code burst} more allowed at once; at most {@code maxKeys} keys are
   * tracked (the least recently used is forgotten first). Held per replica, not replicated.
   *
   * @param action what {@code avi.vs.rate_limit} does over the limit unless the script defers it
   * @param status the status of the {@code LOCAL_RSP} action's response
   */
  public record RateLimiter(
      String name,
      int count,
      Integer periodSeconds,
      Integer burst,
      Integer maxKeys,
      RateLimitAction action,
      Integer status) {
    public static final int DEFAULT_MAX_KEYS = 10_000;

    public RateLimiter {
      periodSeconds = Defaults.orElse(periodSeconds, 1);
      burst = Defaults.orElse(burst, 0);
      maxKeys = Defaults.orElse(maxKeys, DEFAULT_MAX_KEYS);
      action = Defaults.orElse(action, RateLimitAction.NONE);
      status = Defaults.orElse(status, 429);
    }
  }

  /** Avi's rate-limit actions ({@code avi.RL_ACTION_*}) that Limpet offers. */
  /**
   * A key of {@code avi.crypto.encrypt}/{@code decrypt}, which scripts pass by {@code name}. Its
   * bytes are never in this configuration: the data plane's Secret holds them, base64-encoded,
   * under {@code secretKey}, and {@code sha256} (hex, of the key bytes) names the exact key this
   * configuration was rendered with, so a configuration waits until the Secret holds it.
   */
  public record CryptoKey(String name, String secretKey, String sha256) {
    /**
     * Where the group's Secret holds a key of a script: never a certificate's {@code .crt/.key}.
     */
    public static String secretKey(String script, String key) {
      return script + "." + key + ".cryptokey";
    }

    /** The {@code sha256} of a key's bytes, hex. */
    public static String digest(byte[] bytes) {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JVM has SHA-256", e);
      }
    }
  }

  public enum RateLimitAction {
    NONE,
    CLOSE_CONN,
    LOCAL_RSP
  }

  public DataScriptConfig {
    events = Defaults.orElse(events, new Events(null, null, null));
    pools = Defaults.list(pools);
    ipGroups = Defaults.list(ipGroups);
    stringGroups = Defaults.list(stringGroups);
    rateLimiters = Defaults.list(rateLimiters);
    cryptoKeys = Defaults.list(cryptoKeys);
  }

  public DataScriptConfig(
      String name,
      Events events,
      List<PoolRef> pools,
      List<IpGroup> ipGroups,
      List<StringGroup> stringGroups,
      List<RateLimiter> rateLimiters) {
    this(name, events, pools, ipGroups, stringGroups, rateLimiters, null);
  }

  /** A DataScript without groups. */
  public DataScriptConfig(String name, Events events, List<PoolRef> pools) {
    this(name, events, pools, null, null, null, null);
  }

  /** A DataScript without rate limiters. */
  public DataScriptConfig(
      String name,
      Events events,
      List<PoolRef> pools,
      List<IpGroup> ipGroups,
      List<StringGroup> stringGroups) {
    this(name, events, pools, ipGroups, stringGroups, null, null);
  }
}
