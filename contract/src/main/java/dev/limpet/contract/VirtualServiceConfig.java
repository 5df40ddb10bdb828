package dev.limpet.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One virtual service: a listener (address and port), optional hostnames that select it by Host
 * header when several share a port, its default pool and what guards it; {@code tls} null means
 * plain HTTP; {@code clientAddress} says whether a PROXY header or {@code X-Forwarded-For} names
 * the client instead of the socket's peer; {@code http2} whether clients may speak HTTP/2 (off:
 * HTTP/1.1 only).
 */
public record VirtualServiceConfig(
    String name,
    String address,
    int port,
    List<String> hostnames,
    String pool,
    NetworkSecurityConfig networkSecurity,
    TimeoutsConfig timeouts,
    LimitsConfig limits,
    List<String> dataScripts,
    TlsConfig tls,
    // left out of documents while it is the socket, so data planes older than it read them
    @JsonInclude(
            value = JsonInclude.Include.CUSTOM,
            valueFilter = ClientAddressConfig.IsSocket.class)
        ClientAddressConfig clientAddress,
    // left out while HTTP/2 is off, for the same reason
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = Http2Config.IsOff.class)
        Http2Config http2) {

  public VirtualServiceConfig {
    address = Defaults.orElse(address, "0.0.0.0");
    hostnames =
        Defaults.list(hostnames).stream().map(h -> h.toLowerCase(java.util.Locale.ROOT)).toList();
    networkSecurity = Defaults.orElse(networkSecurity, NetworkSecurityConfig.OPEN);
    timeouts = Defaults.orElse(timeouts, TimeoutsConfig.DEFAULT);
    limits = Defaults.orElse(limits, LimitsConfig.DEFAULT);
    dataScripts = Defaults.list(dataScripts);
    clientAddress = Defaults.orElse(clientAddress, ClientAddressConfig.SOCKET);
    http2 = Defaults.orElse(http2, Http2Config.OFF).withHeaderListDefault(limits);
  }

  /** A virtual service that speaks HTTP/1.1 only. */
  public VirtualServiceConfig(
      String name,
      String address,
      int port,
      List<String> hostnames,
      String pool,
      NetworkSecurityConfig networkSecurity,
      TimeoutsConfig timeouts,
      LimitsConfig limits,
      List<String> dataScripts,
      TlsConfig tls,
      ClientAddressConfig clientAddress) {
    this(
        name,
        address,
        port,
        hostnames,
        pool,
        networkSecurity,
        timeouts,
        limits,
        dataScripts,
        tls,
        clientAddress,
        null);
  }

  /** A virtual service whose client is the socket's peer. */
  public VirtualServiceConfig(
      String name,
      String address,
      int port,
      List<String> hostnames,
      String pool,
      NetworkSecurityConfig networkSecurity,
      TimeoutsConfig timeouts,
      LimitsConfig limits,
      List<String> dataScripts,
      TlsConfig tls) {
    this(
        name,
        address,
        port,
        hostnames,
        pool,
        networkSecurity,
        timeouts,
        limits,
        dataScripts,
        tls,
        null,
        null);
  }
}
