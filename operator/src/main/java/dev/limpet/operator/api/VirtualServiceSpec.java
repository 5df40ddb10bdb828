package dev.limpet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.limpet.contract.ClientAddressConfig;
import dev.limpet.contract.Http2Config;
import dev.limpet.contract.NetworkSecurityConfig.DenyAction;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

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
        @Size(max = PoolSpec.DNS_LABEL_MAX)
        @Pattern(PoolSpec.DNS_LABEL)
        @JsonPropertyDescription(
            "The data-plane group (in this namespace) whose replicas serve this virtual service.")
        String dataPlaneGroup,
    @Default("0.0.0.0")
        @Size(max = PoolSpec.IP_MAX)
        @JsonPropertyDescription("The address the data plane listens on; an IP literal.")
        String address,
    @Required @Min(1) @Max(65535) @JsonPropertyDescription("The port the data plane listens on.")
        Integer port,
    @Size(max = 64)
        @JsonPropertyDescription(
            "Host header values that select this virtual service when several share a port; a"
                + " leading '*.' matches any subdomain. Absent: every host.")
        List<@Size(max = PoolSpec.DNS_NAME_MAX) String> hostnames,
    @Required
        @Size(max = PoolSpec.DNS_NAME_MAX)
        @Pattern(PoolSpec.DNS_NAME)
        @JsonPropertyDescription("The default Pool.")
        String pool,
    @Size(max = 16) @JsonPropertyDescription("DataScripts in this namespace, run in this order.")
        List<@Size(max = PoolSpec.DNS_NAME_MAX) String> dataScripts,
    NetworkSecurity networkSecurity,
    Timeouts timeouts,
    Limits limits,
    Exposure service,
    @JsonPropertyDescription(
            "TLS termination: certificates from Secrets of type kubernetes.io/tls (chosen by SNI,"
                + " with a default), protocols, cipher suites, and TLS to the servers. Absent:"
                + " plain HTTP. Every virtual service on a port terminates TLS, or none does.")
        Tls tls,
    @JsonPropertyDescription(
            "Where the client address (ClientIP persistence, networkSecurity, access logs,"
                + " avi.vs.client_ip) comes from besides the connection's peer: a PROXY protocol"
                + " header from given load balancers, X-Forwarded-For from trusted proxies."
                + " Absent: the peer.")
        ClientAddress clientAddress,
    @JsonPropertyDescription(
            "HTTP/2 from clients: ALPN h2 on TLS (offered when SNI selects this virtual service),"
                + " h2c with prior knowledge on plain ports; HTTP/1.1 stays available. Absent or"
                + " enabled: false: HTTP/1.1 only, so an upgrade of Limpet never changes the"
                + " protocol under a client (an opt-in like HAProxy's alpn h2 and NGINX's http2"
                + " on).")
        Http2 http2) {

  /** A virtual service whose clients speak HTTP/1.1. */
  public VirtualServiceSpec(
      String dataPlaneGroup,
      String address,
      Integer port,
      List<String> hostnames,
      String pool,
      List<String> dataScripts,
      NetworkSecurity networkSecurity,
      Timeouts timeouts,
      Limits limits,
      Exposure service,
      Tls tls,
      ClientAddress clientAddress) {
    this(
        dataPlaneGroup,
        address,
        port,
        hostnames,
        pool,
        dataScripts,
        networkSecurity,
        timeouts,
        limits,
        service,
        tls,
        clientAddress,
        null);
  }

  /** A virtual service whose client is the connection's peer. */
  public VirtualServiceSpec(
      String dataPlaneGroup,
      String address,
      Integer port,
      List<String> hostnames,
      String pool,
      List<String> dataScripts,
      NetworkSecurity networkSecurity,
      Timeouts timeouts,
      Limits limits,
      Exposure service,
      Tls tls) {
    this(
        dataPlaneGroup,
        address,
        port,
        hostnames,
        pool,
        dataScripts,
        networkSecurity,
        timeouts,
        limits,
        service,
        tls,
        null,
        null);
  }

  /** An IPv4 or IPv6 address block, or a bare address; the prefix is checked by the operator. */
  static final String CIDR =
      "^([0-9]{1,3}(\\.[0-9]{1,3}){3}(/[0-9]{1,2})?|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(/[0-9]{1,3})?)$";

  /** Where the client address comes from besides the connection's peer. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ClientAddress(
      @JsonPropertyDescription(
              "Read a PROXY protocol header (v1 or v2) first on every connection of the port."
                  + " Every VirtualService on a port must set the same. Absent: none read.")
          ProxyProtocol proxyProtocol,
      @JsonPropertyDescription(
              "Believe X-Forwarded-For on requests whose connection comes from a trusted proxy."
                  + " Absent: never believed.")
          ForwardedFor forwardedFor) {}

  /** The load balancers that send a PROXY protocol header. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ProxyProtocol(
      @Required
          @Size(min = 1, max = ClientAddressConfig.MAX_BLOCKS)
          @JsonPropertyDescription(
              "Address blocks (CIDR) the header is accepted from; a connection from elsewhere,"
                  + " or without a well-formed header, is closed.")
          List<@Size(max = PoolSpec.CIDR_MAX) @Pattern(CIDR) String> sources) {}

  /** The proxies whose X-Forwarded-For names the client. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ForwardedFor(
      @Required
          @Size(min = 1, max = ClientAddressConfig.MAX_BLOCKS)
          @JsonPropertyDescription(
              "Address blocks (CIDR) of trusted proxies: the client is the right-most"
                  + " X-Forwarded-For address outside them.")
          List<@Size(max = PoolSpec.CIDR_MAX) @Pattern(CIDR) String> trustedProxies) {}

  /** TLS termination. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value =
          "self.certificates.all(c, self.certificates.exists_one(o, o.secretName == c.secretName))",
      message = "each Secret may be listed once")
  public record Tls(
      @Required
          @Size(min = 1, max = 64)
          @JsonPropertyDescription("The certificates; SNI picks among them.")
          List<Certificate> certificates,
      @Size(max = PoolSpec.DNS_NAME_MAX)
          @Pattern(PoolSpec.DNS_NAME)
          @JsonPropertyDescription(
              "The secretName of the certificate served without SNI or when no name matches;"
                  + " default: the first.")
          String defaultCertificate,
      @Size(min = 1, max = 2) @JsonPropertyDescription("TLSv1.2 and/or TLSv1.3; default both.")
          List<Protocol> protocols,
      @Size(min = 1, max = 32)
          @JsonPropertyDescription(
              "Cipher suites by IANA name (TLS 1.3 and 1.2); default: forward-secret AEAD suites"
                  + " only (Mozilla intermediate).")
          List<@Size(max = 128) String> ciphers,
      @JsonPropertyDescription(
              "TLS from the data plane to the Pool's servers (re-encryption); absent: plain HTTP.")
          Upstream upstream,
      @JsonPropertyDescription(
              "Ask clients for a certificate (avi.ssl.client_cert reads it); absent: none asked.")
          ClientCertificates clientCertificates) {

    /** A listener that asks for no client certificate. */
    public Tls(
        List<Certificate> certificates,
        String defaultCertificate,
        List<Protocol> protocols,
        List<String> ciphers,
        Upstream upstream) {
      this(certificates, defaultCertificate, protocols, ciphers, upstream, null);
    }
  }

  /** Client certificates on the listener, checked against the given authorities. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ClientCertificates(
      @Required
          @JsonPropertyDescription(
              "Request: a client may present none; Require: one without a trusted certificate"
                  + " fails the handshake.")
          ClientCertificateMode mode,
      @Required
          @Size(max = 262144)
          @JsonPropertyDescription(
              "PEM certificates of the authorities client certificates chain to.")
          String caCertificates) {}

  /** Whether a listener only asks for a client certificate or insists on one. */
  public enum ClientCertificateMode {
    Request,
    Require
  }

  /** A certificate and key from a Secret of this namespace. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Certificate(
      @Required
          @Size(max = PoolSpec.DNS_NAME_MAX)
          @Pattern(PoolSpec.DNS_NAME)
          @JsonPropertyDescription(
              "A Secret of type kubernetes.io/tls (keys tls.crt, tls.key; PKCS#1, PKCS#8 or SEC1).")
          String secretName,
      @Size(max = 64)
          @JsonPropertyDescription(
              "The SNI names it answers; default: the certificate's DNS names ('*.' wildcards"
                  + " allowed).")
          List<@Size(max = PoolSpec.DNS_NAME_MAX) String> hostnames) {}

  /** TLS from the data plane to the Pool's servers. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Upstream(
      @Default("true") @JsonPropertyDescription("Check the servers' certificates (default true).")
          Boolean verify,
      @JsonPropertyDescription(
              "PEM certificates of the authorities to trust; default: the JVM's trusted roots.")
          @Size(max = 262144)
          String caCertificates,
      @Size(max = PoolSpec.DNS_NAME_MAX)
          @Pattern(PoolSpec.DNS_NAME)
          @JsonPropertyDescription(
              "Sent as SNI and checked against the certificate; default: none sent, the server's"
                  + " IP address checked.")
          String serverName) {}

  /** The TLS versions a listener may accept. */
  public enum Protocol {
    @JsonProperty("TLSv1.2")
    TLSv1_2,
    @JsonProperty("TLSv1.3")
    TLSv1_3;

    /** The name the data plane's configuration uses. */
    public String version() {
      return name().replace('_', '.');
    }
  }

  /** Client address rules: a client is denied when deny matches, or allow is set and misses. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NetworkSecurity(
      @Size(max = 256) @JsonPropertyDescription("Address blocks (CIDR) allowed.")
          List<@Size(max = PoolSpec.CIDR_MAX) String> allow,
      @Size(max = 256) @JsonPropertyDescription("Address blocks (CIDR) denied.")
          List<@Size(max = PoolSpec.CIDR_MAX) String> deny,
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

  /** HTTP/2 from clients. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Http2(
      @Default("false")
          @JsonPropertyDescription("Offer HTTP/2 (h2, h2c with prior knowledge) besides HTTP/1.1.")
          Boolean enabled,
      @Default("100")
          @Min(1)
          @Max(Http2Config.MAX_CONCURRENT_STREAMS)
          @JsonPropertyDescription(
              "Streams a client may have open at once on one connection; more are refused"
                  + " (REFUSED_STREAM).")
          Integer maxConcurrentStreams,
      @Min(Http2Config.MIN_HEADER_LIST_BYTES)
          @Max(Http2Config.MAX_HEADER_LIST_BYTES)
          @JsonPropertyDescription(
              "The largest request header list (HPACK size); over it: 431. Absent:"
                  + " limits.maxHeaderBytes.")
          Integer maxHeaderListBytes) {}

  /** Request limits. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Limits(
      @Default("16384") @Min(1024) @Max(1048576) Integer maxHeaderBytes,
      @Default("8192") @Min(256) @Max(1048576) Integer maxUriBytes,
      @Default("10000") @Min(1) @Max(1000000) Integer maxConnections) {}

  /** The Kubernetes Service that exposes this virtual service. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value =
          "!has(self.nodePort)"
              + " || (has(self.type) && (self.type == 'NodePort' || self.type == 'LoadBalancer'))",
      message = "nodePort is only allowed with type NodePort or LoadBalancer")
  @ValidationRule(
      value =
          "!has(self.externalTrafficPolicy)"
              + " || (has(self.type) && (self.type == 'NodePort' || self.type == 'LoadBalancer'))",
      message = "externalTrafficPolicy is only allowed with type NodePort or LoadBalancer")
  public record Exposure(
      @Default("ClusterIP") ServiceType type,
      @Min(30000) @Max(32767) @JsonPropertyDescription("A fixed node port; default: assigned.")
          Integer nodePort,
      @JsonPropertyDescription(
              "Local keeps the client's source address on the way to the data plane (traffic only"
                  + " to nodes that run a data-plane pod); absent: Kubernetes' default, Cluster,"
                  + " where nodes rewrite it to their own.")
          TrafficPolicy externalTrafficPolicy,
      @Size(max = 32)
          @JsonPropertyDescription(
              "Annotations for the Service, such as a cloud load balancer's PROXY protocol switch;"
                  + " added to the Service, and changed when they change here.")
          Map<String, @Size(max = 4096) String> annotations) {

    /** A Service with Kubernetes' default traffic policy and no annotations of its own. */
    public Exposure(ServiceType type, Integer nodePort) {
      this(type, nodePort, null, null);
    }
  }

  /** Where a NodePort or LoadBalancer Service sends external traffic. */
  public enum TrafficPolicy {
    Cluster,
    Local
  }

  /** The Service types a virtual service can be exposed with. */
  public enum ServiceType {
    ClusterIP,
    NodePort,
    LoadBalancer
  }
}
