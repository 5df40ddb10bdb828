package dev.limpet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.limpet.dataplane.config.NetworkSecurityConfig.DenyAction;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The desired virtual service. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.hostnames) || self.hostnames.all(h, self.hostnames.exists_one(o, o == h))",
    message = "hostnames must be unique")
@ValidationRule(
    value = "!has(self.port) || (self.port != 9901 && self.port != 9902)",
    message = "port 9901 and 9902 are the data plane's own admin and peer ports")
public record VirtualServiceSpec(
    @Default("default")
        @Pattern(PoolSpec.DNS_LABEL)
        @JsonPropertyDescription(
            "The data-plane group (in this namespace) whose replicas serve this virtual service.")
        String dataPlaneGroup,
    @Default("0.0.0.0")
        @JsonPropertyDescription("The address the data plane listens on; an IP literal.")
        String address,
    @Required @Min(1) @Max(65535) @JsonPropertyDescription("The port the data plane listens on.")
        Integer port,
    @Size(max = 64)
        @JsonPropertyDescription(
            "Host header values that select this virtual service when several share a port; a"
                + " leading '*.' matches any subdomain. Absent: every host.")
        List<String> hostnames,
    @Required @Pattern(PoolSpec.DNS_NAME) @JsonPropertyDescription("The default Pool.") String pool,
    @Size(max = 16) @JsonPropertyDescription("DataScripts in this namespace, run in this order.")
        List<String> dataScripts,
    NetworkSecurity networkSecurity,
    Timeouts timeouts,
    Limits limits,
    Exposure service) {

  /** Client address rules: a client is denied when deny matches, or allow is set and misses. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NetworkSecurity(
      @Size(max = 256) @JsonPropertyDescription("Address blocks (CIDR) allowed.")
          List<String> allow,
      @Size(max = 256) @JsonPropertyDescription("Address blocks (CIDR) denied.") List<String> deny,
      @Default("Close")
          @JsonPropertyDescription("Close the connection at accept, or answer Forbidden (403).")
          DenyAction action) {}

  /** Timeouts in milliseconds. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Timeouts(
      @Default("2000") @Min(1) @Max(3600000) Integer connectMs,
      @Default("60000") @Min(1) @Max(86400000) Integer clientIdleMs,
      @Default("10000") @Min(1) @Max(3600000) Integer headerReadMs,
      @Default("60000") @Min(1) @Max(86400000) Integer upstreamResponseMs) {}

  /** Request limits. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Limits(
      @Default("16384") @Min(1024) @Max(1048576) Integer maxHeaderBytes,
      @Default("8192") @Min(256) @Max(1048576) Integer maxUriBytes,
      @Default("10000") @Min(1) @Max(1000000) Integer maxConnections) {}

  /** The Kubernetes Service that exposes this virtual service. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "!has(self.nodePort) || self.type == 'NodePort' || self.type == 'LoadBalancer'",
      message = "nodePort is only allowed with type NodePort or LoadBalancer")
  public record Exposure(
      @Default("ClusterIP") ServiceType type,
      @Min(30000) @Max(32767) @JsonPropertyDescription("A fixed node port; default: assigned.")
          Integer nodePort) {}

  /** The Service types a virtual service can be exposed with. */
  public enum ServiceType {
    ClusterIP,
    NodePort,
    LoadBalancer
  }
}
