package dev.limpet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The desired script: Lua source per event and the pools it may select. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.pools) || self.pools.all(p, self.pools.exists_one(o,"
            + " (has(o.scriptName) ? o.scriptName : o.pool)"
            + " == (has(p.scriptName) ? p.scriptName : p.pool)))",
    message = "each pool's scriptName (default: its pool name) must be unique")
public record DataScriptSpec(
    @Required Events events,
    @Size(max = 64) @JsonPropertyDescription("Pools in this namespace the script may name.")
        List<PoolRef> pools) {

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
