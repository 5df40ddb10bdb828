package dev.limpet.contract;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * A persistence profile that pools refer to by name: a {@link Type} and its {@link Settings}.
 *
 * <p>This file is the one model of a persistence type. Each type's settings record carries its
 * defaults and bounds as fabric8 generator annotations: the operator's CRD schema is generated from
 * them, {@link RecordSchema} fills the defaults here and {@link ConfigValidator} checks the bounds
 * with them. On the wire a profile is {@code type} plus the one block named by {@link
 * Type#block()}; an absent block is filled with defaults. Every {@code timeoutMinutes} takes
 * fractions ({@code 0.5} is 30 seconds).
 *
 * @param settings of {@code type} once valid; the loader keeps a block of another type so that
 *     {@link ConfigValidator} can name it
 */
@JsonPropertyOrder({"name", "type", "onServerDown"})
@JsonDeserialize(using = PersistenceProfileConfig.Reader.class)
public record PersistenceProfileConfig(
    String name, Type type, OnServerDown onServerDown, @JsonIgnore Settings settings) {

  /** The persistence types, each with its wire block and settings record. */
  public enum Type {
    ClientIP("clientIp", ClientIp.class),
    HttpCookie("httpCookie", HttpCookie.class),
    AppCookie("appCookie", AppCookie.class),
    CustomHeader("customHeader", CustomHeader.class),
    TLS("tls", Tls.class);

    private final String block;
    private final Class<? extends Settings> settings;

    Type(String block, Class<? extends Settings> settings) {
      this.block = block;
      this.settings = settings;
    }

    /** The name of this type's settings block on the wire and in the CRD. */
    public String block() {
      return block;
    }

    /** The record holding this type's settings. */
    public Class<? extends Settings> settingsClass() {
      return settings;
    }

    /** This type's settings when its block is absent: every field at its default. */
    public Settings defaults() {
      return RecordSchema.withDefaults(RecordSchema.empty(settings));
    }

    static Type ofBlock(String block) {
      return Arrays.stream(values()).filter(t -> t.block.equals(block)).findFirst().orElse(null);
    }
  }

  /** What happens to a persisted client whose server is down. */
  public enum OnServerDown {
    /** Pick a new server now and rewrite the entry. */
    Immediate,
    /** Keep sending to the persisted server until the entry expires. */
    Never
  }

  /** The settings of one persistence type; one record per type. */
  public sealed interface Settings permits ClientIp, HttpCookie, AppCookie, CustomHeader, Tls {
    /** The type these settings belong to. */
    Type type();

    /** Calls the visitor's method for this type: the exhaustive dispatch over the types. */
    <R> R accept(Visitor<R> visitor);

    /**
     * Problems across fields, {@code field → message}: what a class-level {@link ValidationRule}
     * states in CEL for the API server, stated again in Java for files the data plane loads.
     */
    default Map<String, String> crossFieldProblems() {
      return Map.of();
    }
  }

  /**
   * One method per type: a new type is a compile error in every visitor until it is handled (Java
   * 17 has no pattern matching for switch without preview).
   */
  public interface Visitor<R> {
    R clientIp(ClientIp settings);

    R httpCookie(HttpCookie settings);

    R appCookie(AppCookie settings);

    R customHeader(CustomHeader settings);

    R tls(Tls settings);
  }

  /** Client address persistence. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ClientIp(
      @Default("5")
          @Min(0)
          @Max(MINUTES_MAX)
          @JsonPropertyDescription(
              "Minutes after the client's last connection closes; fractions allowed, 0 disables.")
          Double timeoutMinutes,
      @Default("32") @Min(0) @Max(32) @JsonPropertyDescription("Mask applied to IPv4 clients.")
          Integer prefixLengthV4,
      @Default("128") @Min(0) @Max(128) @JsonPropertyDescription("Mask applied to IPv6 clients.")
          Integer prefixLengthV6)
      implements Settings {
    @Override
    public Type type() {
      return Type.ClientIP;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.clientIp(this);
    }
  }

  /** A cookie the data plane inserts, holding the server in an authenticated, encrypted value. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "!has(self.sameSite) || self.sameSite != 'None' || (has(self.secure) && self.secure)",
      message = "sameSite None requires secure: true (browsers drop the cookie otherwise)")
  @ValidationRule(
      value = "!has(self.partitioned) || !self.partitioned || (has(self.secure) && self.secure)",
      message = "partitioned requires secure: true (browsers drop the cookie otherwise)")
  public record HttpCookie(
      @Default("LIMPET")
          @Size(max = TOKEN_MAX)
          @Pattern(TOKEN)
          @JsonPropertyDescription("The cookie's name.")
          String name,
      @Default("0")
          @Min(0)
          @Max(MINUTES_MAX)
          @JsonPropertyDescription(
              "Absolute lifetime in minutes, enforced from the value; 0 = none.")
          Double timeoutMinutes,
      @Default("0")
          @Min(0)
          @Max(400 * 86_400)
          @JsonPropertyDescription("Max-Age of a persistent cookie; 0 = session cookie.")
          Integer maxAgeSeconds,
      @Default("/") @Size(max = PATH_MAX) @Pattern("^/.*") String path,
      @Size(max = DNS_NAME_MAX) String domain,
      @Default("false") Boolean secure,
      @Default("true") Boolean httpOnly,
      @JsonPropertyDescription(
              "Strict, Lax or None; absent sends no SameSite attribute, and browsers then treat"
                  + " the cookie as Lax.")
          SameSite sameSite,
      @Default("false")
          // left out of documents while false, so data planes older than it read them
          @JsonInclude(JsonInclude.Include.NON_DEFAULT)
          @JsonPropertyDescription(
              "Add the Partitioned attribute (CHIPS: a third-party cookie kept per top-level"
                  + " site); requires secure: true.")
          Boolean partitioned)
      implements Settings {
    /** A cookie without the Partitioned attribute. */
    public HttpCookie(
        String name,
        Double timeoutMinutes,
        Integer maxAgeSeconds,
        String path,
        String domain,
        Boolean secure,
        Boolean httpOnly,
        SameSite sameSite) {
      this(name, timeoutMinutes, maxAgeSeconds, path, domain, secure, httpOnly, sameSite, null);
    }

    @Override
    public Type type() {
      return Type.HttpCookie;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.httpCookie(this);
    }

    @Override
    public Map<String, String> crossFieldProblems() {
      Map<String, String> problems = new java.util.LinkedHashMap<>();
      if (sameSite == SameSite.None && !Boolean.TRUE.equals(secure))
        problems.put("sameSite", "None requires secure: true (browsers drop it otherwise)");
      if (Boolean.TRUE.equals(partitioned) && !Boolean.TRUE.equals(secure))
        problems.put("partitioned", "requires secure: true (browsers drop the cookie otherwise)");
      return problems;
    }
  }

  /** The SameSite attribute values. */
  public enum SameSite {
    Strict,
    Lax,
    None
  }

  /** Learns the application's own session cookie from {@code Set-Cookie}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AppCookie(
      @Default("JSESSIONID") @Size(max = TOKEN_MAX) @Pattern(TOKEN) String name,
      @Default("20")
          @Min(0.001)
          @Max(MINUTES_MAX)
          @JsonPropertyDescription("Idle lifetime of a learned entry in minutes.")
          Double timeoutMinutes)
      implements Settings {
    @Override
    public Type type() {
      return Type.AppCookie;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.appCookie(this);
    }
  }

  /** Matches a request header's value against each server's {@code headerValue}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CustomHeader(@Required @Size(max = TOKEN_MAX) @Pattern(TOKEN) String name)
      implements Settings {
    @Override
    public Type type() {
      return Type.CustomHeader;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.customHeader(this);
    }
  }

  /**
   * Pins the client's TLS session (a resumed session returns to its server); only on TLS virtual
   * services.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Tls(
      @Default("5")
          @Min(0.001)
          @Max(MINUTES_MAX)
          @JsonPropertyDescription(
              "Idle lifetime of an entry in minutes; longer than the data plane's TLS session"
                  + " lifetime (5 minutes) gains nothing.")
          Double timeoutMinutes)
      implements Settings {
    @Override
    public Type type() {
      return Type.TLS;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.tls(this);
    }
  }

  /** An HTTP token (RFC 9110): what cookie and header names are made of. */
  public static final String TOKEN = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";

  /** The longest cookie or header name accepted: far above any real one, and a bound for CEL. */
  public static final int TOKEN_MAX = 256;

  /** The longest URL path accepted (cookie Path, health-check path). */
  public static final int PATH_MAX = 2048;

  /** The longest DNS name (RFC 1035). */
  public static final int DNS_NAME_MAX = 253;

  /** The longest timeout in minutes: a year. */
  public static final int MINUTES_MAX = 525_600;

  public PersistenceProfileConfig {
    onServerDown = Defaults.orElse(onServerDown, OnServerDown.Immediate);
    if (settings == null && type != null) settings = type.defaults();
    else if (settings != null) settings = RecordSchema.withDefaults(settings);
  }

  /** Writes the settings as the block its type names, beside {@code type}. */
  @JsonAnyGetter
  Map<String, Settings> block() {
    return settings == null ? Map.of() : Map.of(settings.type().block(), settings);
  }

  /**
   * Reads {@code name}, {@code type}, {@code onServerDown} and at most one settings block, naming
   * the field of every problem as the rest of the loader does.
   */
  static final class Reader extends StdDeserializer<PersistenceProfileConfig> {
    Reader() {
      super(PersistenceProfileConfig.class);
    }

    @Override
    public PersistenceProfileConfig deserialize(JsonParser p, DeserializationContext ctxt)
        throws IOException {
      if (!p.isExpectedStartObjectToken())
        return (PersistenceProfileConfig)
            ctxt.handleUnexpectedToken(PersistenceProfileConfig.class, p);
      String name = null;
      Type type = null;
      OnServerDown onServerDown = null;
      Settings settings = null;
      for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
        JsonToken token = p.nextToken();
        Type blockType = Type.ofBlock(field);
        boolean known =
            blockType != null || Arrays.asList("name", "type", "onServerDown").contains(field);
        if (!known) {
          ctxt.handleUnknownProperty(p, this, PersistenceProfileConfig.class, field);
          continue;
        }
        if (token == JsonToken.VALUE_NULL) continue;
        try {
          switch (field) {
            case "name" -> name = ctxt.readValue(p, String.class);
            case "type" -> type = ctxt.readValue(p, Type.class);
            case "onServerDown" -> onServerDown = ctxt.readValue(p, OnServerDown.class);
            default -> {
              if (settings != null)
                throw JsonMappingException.from(
                    p,
                    "only one settings block is allowed, "
                        + settings.type().block()
                        + " is already present");
              settings = ctxt.readValue(p, blockType.settingsClass());
            }
          }
        } catch (JsonMappingException e) {
          throw JsonMappingException.wrapWithPath(e, PersistenceProfileConfig.class, field);
        }
      }
      return new PersistenceProfileConfig(name, type, onServerDown, settings);
    }
  }
}
