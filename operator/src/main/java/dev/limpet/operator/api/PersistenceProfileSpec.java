package dev.limpet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.limpet.dataplane.config.PersistenceProfileConfig.OnServerDown;
import dev.limpet.dataplane.config.PersistenceProfileConfig.Type;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The desired persistence: a type and the settings block that matches it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.clientIp) || self.type == 'ClientIP'",
    message = "clientIp is only allowed with type ClientIP")
@ValidationRule(
    value = "!has(self.httpCookie) || self.type == 'HttpCookie'",
    message = "httpCookie is only allowed with type HttpCookie")
@ValidationRule(
    value = "!has(self.appCookie) || self.type == 'AppCookie'",
    message = "appCookie is only allowed with type AppCookie")
@ValidationRule(
    value = "has(self.customHeader) == (self.type == 'CustomHeader')",
    message = "customHeader is required with type CustomHeader and only allowed with it")
@ValidationRule(
    value = "!has(self.tls) || self.type == 'TLS'",
    message = "tls is only allowed with type TLS")
public record PersistenceProfileSpec(
    @Required
        @JsonPropertyDescription(
            "ClientIP, HttpCookie, AppCookie, CustomHeader or TLS (only on VirtualServices with"
                + " TLS).")
        Type type,
    @Default("Immediate")
        @JsonPropertyDescription(
            "What happens to a persisted client whose server is down: Immediate picks a new"
                + " server, Never keeps sending to it until the entry expires.")
        OnServerDown onServerDown,
    ClientIp clientIp,
    HttpCookie httpCookie,
    AppCookie appCookie,
    CustomHeader customHeader,
    Tls tls) {

  /** Client address persistence. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ClientIp(
      @Default("5")
          @Min(0)
          @Max(525600)
          @JsonPropertyDescription(
              "Minutes after the client's last connection closes; fractions allowed, 0 disables.")
          Double timeoutMinutes,
      @Default("32") @Min(0) @Max(32) @JsonPropertyDescription("Mask applied to IPv4 clients.")
          Integer prefixLengthV4,
      @Default("128") @Min(0) @Max(128) @JsonPropertyDescription("Mask applied to IPv6 clients.")
          Integer prefixLengthV6) {}

  /** A cookie the data plane inserts, holding the server in an encrypted value. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "!has(self.sameSite) || self.sameSite != 'None' || (has(self.secure) && self.secure)",
      message = "sameSite None requires secure: true (browsers drop the cookie otherwise)")
  public record HttpCookie(
      @Default("LIMPET")
          @Size(max = TOKEN_MAX)
          @Pattern(TOKEN)
          @JsonPropertyDescription("The cookie's name.")
          String name,
      @Default("0")
          @Min(0)
          @Max(525600)
          @JsonPropertyDescription(
              "Absolute lifetime in minutes, enforced from the value; 0 = none.")
          Double timeoutMinutes,
      @Default("0")
          @Min(0)
          @Max(34560000)
          @JsonPropertyDescription("Max-Age of a persistent cookie; 0 = session cookie.")
          Integer maxAgeSeconds,
      @Default("/") @Size(max = PATH_MAX) @Pattern("^/.*") String path,
      @Size(max = PoolSpec.DNS_NAME_MAX) String domain,
      @Default("false") Boolean secure,
      @Default("true") Boolean httpOnly,
      @JsonPropertyDescription("Strict, Lax or None; absent sends no SameSite attribute.")
          SameSite sameSite) {}

  /** The SameSite attribute values. */
  public enum SameSite {
    Strict,
    Lax,
    None
  }

  /** Learns the application's own session cookie from Set-Cookie. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AppCookie(
      @Default("JSESSIONID") @Size(max = TOKEN_MAX) @Pattern(TOKEN) String name,
      @Default("20")
          @Min(0.001)
          @Max(525600)
          @JsonPropertyDescription("Idle lifetime of a learned entry in minutes.")
          Double timeoutMinutes) {}

  /** Matches a request header's value against each server's headerValue. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CustomHeader(@Required @Size(max = TOKEN_MAX) @Pattern(TOKEN) String name) {}

  /** Pins the client's TLS session: a client that resumes it returns to its server. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Tls(
      @Default("5")
          @Min(0.001)
          @Max(525600)
          @JsonPropertyDescription(
              "Idle lifetime of an entry in minutes; longer than the data plane's TLS session"
                  + " lifetime (5 minutes) gains nothing.")
          Double timeoutMinutes) {}

  /** An HTTP token (RFC 9110): what cookie and header names are made of. */
  public static final String TOKEN = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";

  /** The longest cookie or header name accepted: far above any real one, and a bound for CEL. */
  public static final int TOKEN_MAX = 256;

  /** The longest URL path accepted (cookie Path, health-check path). */
  public static final int PATH_MAX = 2048;
}
