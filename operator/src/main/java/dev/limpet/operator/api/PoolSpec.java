package dev.limpet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.limpet.contract.HealthMonitorConfig;
import dev.limpet.contract.LoadBalancingConfig.Algorithm;
import dev.limpet.contract.LoadBalancingConfig.HashKey;
import dev.limpet.contract.PersistenceProfileConfig;
import dev.limpet.contract.ServerProtocol;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;

/** The desired pool: where its servers come from and how requests are spread over them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.service) || (has(self.servers) && size(self.servers) > 0)",
    message = "a Pool needs a service, servers, or both")
@ValidationRule(
    value =
        "!has(self.healthMonitors) || self.healthMonitors.all(m,"
            + " self.healthMonitors.exists_one(o, o.name == m.name))",
    message = "health monitor names must be unique within the pool")
public record PoolSpec(
    @Size(max = DNS_NAME_MAX)
        @Pattern(DNS_NAME)
        @JsonPropertyDescription("A PersistenceProfile in this namespace; absent: no persistence.")
        String persistenceProfile,
    LoadBalancing loadBalancing,
    @Size(max = 8) @JsonPropertyDescription("Checks a server must pass to receive requests.")
        List<HealthMonitor> healthMonitors,
    @JsonPropertyDescription("A Service in this namespace whose ready endpoints are servers.")
        ServiceRef service,
    @Size(max = 1000) @JsonPropertyDescription("Servers listed by address.")
        List<StaticServer> servers,
    @Default("0")
        @Min(0)
        @JsonPropertyDescription("Open upstream connections per server; 0 = unlimited.")
        Integer maxConnectionsPerServer,
    @Default("300")
        @Min(1)
        @Max(86400)
        @JsonPropertyDescription("How long a draining server keeps its persisted clients.")
        Integer drainPeriodSeconds,
    @Min(1)
        @Max(86400)
        @JsonPropertyDescription(
            "How long a tunnel (WebSocket) or a long-lived stream (gRPC, any response still"
                + " streaming from an Http2 pool) to a server that drains or leaves the pool stays"
                + " open before it is closed; absent: drainPeriodSeconds.")
        Integer tunnelDrainSeconds,
    @Default("Http1")
        @JsonPropertyDescription(
            "What the proxy speaks to the servers: Http1 (HTTP/1.1) or Http2 (h2 by ALPN when the"
                + " virtual service re-encrypts with upstream TLS, else h2c with prior knowledge;"
                + " needed for gRPC).")
        ServerProtocol protocol) {

  /** A pool that speaks the default protocol (HTTP/1.1) to its servers. */
  public PoolSpec(
      String persistenceProfile,
      LoadBalancing loadBalancing,
      List<HealthMonitor> healthMonitors,
      ServiceRef service,
      List<StaticServer> servers,
      Integer maxConnectionsPerServer,
      Integer drainPeriodSeconds,
      Integer tunnelDrainSeconds) {
    this(
        persistenceProfile,
        loadBalancing,
        healthMonitors,
        service,
        servers,
        maxConnectionsPerServer,
        drainPeriodSeconds,
        tunnelDrainSeconds,
        null);
  }

  /** How a server is picked for a request that persistence does not pin. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value =
          "!has(self.algorithm) || self.algorithm != 'ConsistentHash' || !has(self.hashKey)"
              + " || self.hashKey == 'ClientIP' || has(self.hashName)",
      message = "hashName is required when ConsistentHash hashes a Header or Cookie")
  public record LoadBalancing(
      @Default("RoundRobin") Algorithm algorithm,
      @Default("ClientIP") HashKey hashKey,
      @Size(max = PersistenceProfileConfig.TOKEN_MAX)
          @Pattern(PersistenceProfileConfig.TOKEN)
          @JsonPropertyDescription("The header or cookie name ConsistentHash hashes.")
          String hashName) {}

  /** A health check of every server of the pool. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "!has(self.http) || (has(self.type) && self.type == 'Http')",
      message = "http is only allowed with type Http")
  @ValidationRule(
      value = "!has(self.grpc) || (has(self.type) && self.type == 'Grpc')",
      message = "grpc is only allowed with type Grpc")
  @ValidationRule(
      value =
          "!has(self.timeoutSeconds) || !has(self.intervalSeconds)"
              + " || self.timeoutSeconds <= self.intervalSeconds",
      message = "timeoutSeconds must not exceed intervalSeconds")
  public record HealthMonitor(
      @Required @Size(max = DNS_LABEL_MAX) @Pattern(DNS_LABEL) String name,
      @Default("Tcp")
          @JsonPropertyDescription(
              "Tcp: a connection opens. Http: an HTTP/1.1 request gets an expected status. Grpc:"
                  + " a grpc.health.v1 Check call over HTTP/2 (h2c, or h2 when the servers are"
                  + " reached over TLS) answers SERVING.")
          HealthMonitorConfig.Type type,
      @Default("10") @Min(1) @Max(3600) Integer intervalSeconds,
      @Default("4") @Min(1) @Max(3600) Integer timeoutSeconds,
      @Default("2")
          @Min(1)
          @Max(50)
          @JsonPropertyDescription("Consecutive passes that bring a down server up.")
          Integer successfulChecks,
      @Default("2")
          @Min(1)
          @Max(50)
          @JsonPropertyDescription("Consecutive failures that bring an up server down.")
          Integer failedChecks,
      HttpCheck http,
      GrpcCheck grpc) {}

  /** What an Http health monitor sends and expects. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HttpCheck(
      @Default("GET") @Size(max = 32) @Pattern(PersistenceProfileConfig.TOKEN) String method,
      @Default("/") @Size(max = PersistenceProfileConfig.PATH_MAX) @Pattern("^/.*") String path,
      @Size(max = 16)
          @JsonPropertyDescription("Status codes (200) or classes (2xx); default 2xx and 3xx.")
          List<@Size(max = 3) String> expectedStatus,
      @Size(max = DNS_NAME_MAX)
          @JsonPropertyDescription("The Host header sent; default the server's address.")
          String host) {}

  /** What a Grpc health monitor asks. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record GrpcCheck(
      @Size(max = HealthMonitorConfig.GRPC_SERVICE_MAX)
          @Pattern("^[A-Za-z0-9_./-]*$")
          @JsonPropertyDescription(
              "The service whose health is asked (grpc.health.v1 HealthCheckRequest.service);"
                  + " absent or empty: the server's overall health.")
          String service,
      @Size(max = DNS_NAME_MAX + 6)
          @Pattern("^([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?$")
          @JsonPropertyDescription("The :authority sent; default the server's address.")
          String authority) {}

  /** A Service and port whose endpoints become the pool's servers. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value =
          "!has(self.headerValueLabel)"
              + " || (has(self.headerValueFrom) && self.headerValueFrom == 'PodLabel')",
      message = "headerValueLabel is only allowed with headerValueFrom PodLabel")
  @ValidationRule(
      value =
          "has(self.headerValueLabel) || !has(self.headerValueFrom)"
              + " || self.headerValueFrom != 'PodLabel'",
      message = "headerValueLabel is required with headerValueFrom PodLabel")
  public record ServiceRef(
      @Required @Size(max = DNS_LABEL_MAX) @Pattern(DNS_LABEL) String name,
      @Required @JsonPropertyDescription("The Service port, by name or number.") IntOrString port,
      @Default("1") @Min(1) @Max(100) @JsonPropertyDescription("Weight of each endpoint.")
          Integer ratio,
      @JsonPropertyDescription(
              "Where each endpoint's headerValue (for CustomHeader persistence) comes from.")
          HeaderValueSource headerValueFrom,
      @Size(max = LABEL_KEY_MAX)
          @JsonPropertyDescription("The pod label holding the headerValue, with PodLabel.")
          String headerValueLabel) {}

  /** Where an endpoint's headerValue comes from. */
  public enum HeaderValueSource {
    PodName,
    Hostname,
    PodLabel
  }

  /** A server listed by address. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record StaticServer(
      @Size(max = DNS_NAME_MAX) @JsonPropertyDescription("A display name; default ip:port.")
          String name,
      @Required
          @Size(max = IP_MAX)
          @JsonPropertyDescription("An IPv4 or IPv6 address (not a hostname).")
          String ip,
      @Required @Min(1) @Max(65535) Integer port,
      @Default("1") @Min(1) @Max(100) Integer ratio,
      @Default("true") @JsonPropertyDescription("false takes the server out at once.")
          Boolean enabled,
      @Size(max = HEADER_VALUE_MAX)
          @JsonPropertyDescription("The value CustomHeader persistence matches.")
          String headerValue) {}

  /** A Kubernetes object name (RFC 1123 subdomain). */
  public static final String DNS_NAME =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A Kubernetes label-style name (RFC 1123 label). */
  public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  // Length bounds: what Kubernetes allows for the same kind of string, and what keeps the API
  // server's CEL cost estimate of every rule that reaches the string within its budget.

  /** An RFC 1123 subdomain: object names, hostnames. */
  public static final int DNS_NAME_MAX = PersistenceProfileConfig.DNS_NAME_MAX;

  /** An RFC 1123 label: Service names, label values. */
  public static final int DNS_LABEL_MAX = 63;

  /** A label key: a 253-character prefix, '/', a 63-character name. */
  public static final int LABEL_KEY_MAX = 317;

  /** An IP address literal; an IPv6 one with an embedded IPv4 address is at most 45. */
  public static final int IP_MAX = 45;

  /** A CIDR block: an IP literal and "/128". */
  public static final int CIDR_MAX = IP_MAX + 4;

  /** A header value that CustomHeader persistence matches. */
  public static final int HEADER_VALUE_MAX = 1024;
}
