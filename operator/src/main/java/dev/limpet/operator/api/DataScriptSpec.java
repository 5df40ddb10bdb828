package dev.limpet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** The desired script: Lua source per event and the pools it may select. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataScriptSpec(
    @Required Events events,
    @Size(max = 64) @JsonPropertyDescription("Pools in this namespace the script may name.")
        List<PoolRef> pools,
    @Size(max = 64) @JsonPropertyDescription("IP groups the script reads with avi.ipgroup.*.")
        List<IpGroup> ipGroups,
    @Size(max = 64)
        @JsonPropertyDescription("String groups the script reads with avi.stringgroup.*.")
        List<StringGroup> stringGroups,
    @Size(max = 16)
        @JsonPropertyDescription(
            "Rate limiters avi.vs.ratelimit.exceed names and avi.vs.rate_limit uses (the first);"
                + " each replica counts its own requests.")
        List<RateLimiter> rateLimiters,
    @Size(max = 16)
        @JsonPropertyDescription(
            "Keys avi.crypto.encrypt and avi.crypto.decrypt take by name, each from a key of a"
                + " Secret in this namespace labelled limpet.dev/datascript-key=true (16, 24 or 32"
                + " bytes for AES, 24 for 3DES).")
        List<CryptoKey> cryptoKeys) {

  /**
   * The pools, each under a name of its own. The rule sits on the list, not on the spec, so that
   * its cost is the pools' alone, not the groups' too; on the accessor, because an annotation on a
   * record component would reach the field as well and the rule would be generated twice.
   */
  @ValidationRule(
      value =
          "self.all(p, self.exists_one(o,"
              + " (has(o.scriptName) ? o.scriptName : o.pool)"
              + " == (has(p.scriptName) ? p.scriptName : p.pool)))",
      message = "each pool's scriptName (default: its pool name) must be unique")
  @Override
  public List<PoolRef> pools() {
    return pools;
  }

  /** The most entries of one IP or string group (lookups stay logarithmic or constant). */
  public static final int GROUP_ENTRIES_MAX = 10_000;

  /** A DataScript without groups. */
  public DataScriptSpec(Events events, List<PoolRef> pools) {
    this(events, pools, null, null, null, null);
  }

  /** A DataScript without rate limiters. */
  public DataScriptSpec(
      Events events, List<PoolRef> pools, List<IpGroup> ipGroups, List<StringGroup> stringGroups) {
    this(events, pools, ipGroups, stringGroups, null, null);
  }

  /** A DataScript without crypto keys. */
  public DataScriptSpec(
      Events events,
      List<PoolRef> pools,
      List<IpGroup> ipGroups,
      List<StringGroup> stringGroups,
      List<RateLimiter> rateLimiters) {
    this(events, pools, ipGroups, stringGroups, rateLimiters, null);
  }

  /** A key name: what a Secret data key may be, so that it can name one in the group's Secret. */
  public static final String KEY_NAME = "^[-._a-zA-Z0-9]+$";

  /** A key of avi.crypto: a name scripts pass and the Secret key holding its bytes. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CryptoKey(
      @Required
          @Size(min = 1, max = 63)
          @Pattern(KEY_NAME)
          @JsonPropertyDescription("The name scripts pass as avi.crypto's key argument.")
          String name,
      @Required SecretKeyRef secretRef) {}

  /** One key of one Secret in the DataScript's namespace. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SecretKeyRef(
      @Required
          @Size(max = PoolSpec.DNS_NAME_MAX)
          @Pattern(PoolSpec.DNS_NAME)
          @JsonPropertyDescription(
              "A Secret in this namespace labelled limpet.dev/datascript-key=true.")
          String name,
      @Required
          @Size(min = 1, max = 253)
          @Pattern(KEY_NAME)
          @JsonPropertyDescription("The key of the Secret whose value is the key's bytes.")
          String key) {}

  /** Avi's rate limiter: a token bucket per key. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RateLimiter(
      @Required @Size(min = 1, max = 253) String name,
      @Required
          @Min(1)
          @Max(1_000_000)
          @JsonPropertyDescription("Requests allowed per period and key.")
          Integer count,
      @Min(1) @Max(86_400) @JsonPropertyDescription("The period in seconds; default 1.")
          Integer periodSeconds,
      @Min(0)
          @Max(1_000_000)
          @JsonPropertyDescription("Requests allowed at once above count; default 0.")
          Integer burst,
      @Min(1)
          @Max(1_000_000)
          @JsonPropertyDescription(
              "Keys tracked at most, the least recently used forgotten first; default 10000.")
          Integer maxKeys,
      @JsonPropertyDescription(
              "What avi.vs.rate_limit does over the limit unless deferred; default NONE.")
          Action action,
      @Min(200) @Max(599) @JsonPropertyDescription("The status of LOCAL_RSP; default 429.")
          Integer status) {

    /** Avi's rate-limit actions that Limpet offers. */
    public enum Action {
      NONE,
      CLOSE_CONN,
      LOCAL_RSP
    }
  }

  /** Avi's IP group: addresses and CIDR blocks. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record IpGroup(
      @Required @Size(min = 1, max = 253) String name,
      @Size(max = GROUP_ENTRIES_MAX)
          @JsonPropertyDescription("Addresses and blocks: 10.0.0.0/8, 2001:db8::1.")
          List<@Size(max = PoolSpec.CIDR_MAX) String> addresses) {}

  /** Avi's string group: plain strings, or keys with a value each. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record StringGroup(
      @Required @Size(min = 1, max = 253) String name,
      @Size(max = GROUP_ENTRIES_MAX) @JsonPropertyDescription("Plain strings.")
          List<@Size(max = PoolSpec.HEADER_VALUE_MAX) String> strings,
      @Size(max = GROUP_ENTRIES_MAX)
          @JsonPropertyDescription("Keys with a value each; matches return the value.")
          Map<String, @Size(max = PoolSpec.HEADER_VALUE_MAX) String> map) {}

  /** Lua source for each event; absent events do not run. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.httpRequest) || has(self.httpResponse) || has(self.httpResponseFailed)",
      message = "needs at least one of httpRequest, httpResponse, httpResponseFailed")
  public record Events(
      @Size(max = 262144) String httpRequest,
      @Size(max = 262144) String httpResponse,
      @Size(max = 262144) String httpResponseFailed) {}

  /** A pool the script may use. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PoolRef(
      @Required
          @Size(max = PoolSpec.DNS_NAME_MAX)
          @Pattern(PoolSpec.DNS_NAME)
          @JsonPropertyDescription("A Pool in this namespace.")
          String pool,
      @Size(min = 1, max = PoolSpec.DNS_NAME_MAX)
          @JsonPropertyDescription("The name the script uses for it; default the Pool's name.")
          String scriptName) {}
}
