package dev.limpet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.limpet.contract.PersistenceProfileConfig.AppCookie;
import dev.limpet.contract.PersistenceProfileConfig.ClientIp;
import dev.limpet.contract.PersistenceProfileConfig.CustomHeader;
import dev.limpet.contract.PersistenceProfileConfig.HttpCookie;
import dev.limpet.contract.PersistenceProfileConfig.OnServerDown;
import dev.limpet.contract.PersistenceProfileConfig.Settings;
import dev.limpet.contract.PersistenceProfileConfig.Tls;
import dev.limpet.contract.PersistenceProfileConfig.Type;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The desired persistence: a type and the settings block that matches it. The blocks are the
 * contract's settings records, so their schema (defaults, bounds, descriptions) is the one the data
 * plane applies and checks.
 */
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

  /**
   * The block to render: the one {@code type} names (null when absent: the contract fills in its
   * defaults), or else a block of another type, which the contract's validator then names (the CEL
   * rules above refuse it at admission; this catches it when no schema is installed).
   */
  public Settings settings() {
    List<Settings> blocks =
        Stream.<Settings>of(clientIp, httpCookie, appCookie, customHeader, tls)
            .filter(Objects::nonNull)
            .toList();
    return blocks.stream()
        .filter(b -> b.type() != type)
        .findFirst()
        .orElse(blocks.isEmpty() ? null : blocks.get(0));
  }

  /**
   * The spec of {@code type} with {@code settings} in its block; null settings leave every block
   * absent (the defaults apply).
   */
  public static PersistenceProfileSpec of(Type type, OnServerDown onServerDown, Settings settings) {
    if (settings != null && settings.type() != type)
      throw new IllegalArgumentException(settings + " are not settings of type " + type);
    return new PersistenceProfileSpec(
        type,
        onServerDown,
        block(settings, ClientIp.class),
        block(settings, HttpCookie.class),
        block(settings, AppCookie.class),
        block(settings, CustomHeader.class),
        block(settings, Tls.class));
  }

  private static <T extends Settings> T block(Settings settings, Class<T> type) {
    return type.isInstance(settings) ? type.cast(settings) : null;
  }
}
