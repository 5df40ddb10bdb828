package dev.limpet.dataplane.runtime;

import dev.limpet.contract.Http2Config;
import dev.limpet.dataplane.tls.ListenerTls;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The virtual services that share one port, told apart by the Host header: an exact hostname first,
 * then the longest {@code *.suffix} wildcard, then the one without hostnames; the port's TLS (null:
 * plain HTTP) and the sources its PROXY protocol header is read from (null: none is read).
 */
public final class PortRoutes {
  private final Map<String, VirtualService> exact = new HashMap<>();
  private final Map<String, VirtualService> wildcard = new HashMap<>();
  private VirtualService catchAll;
  private final int maxConnections;
  private final List<VirtualService> services;
  private final ListenerTls tls;
  private final AddressBlocks proxySources;
  private final Http2Config http2;

  PortRoutes(List<VirtualService> services, ListenerTls tls) {
    this.services = List.copyOf(services);
    this.tls = tls;
    int max = 0;
    for (VirtualService vs : services) {
      max = Math.max(max, vs.config().limits().maxConnections());
      if (vs.config().hostnames().isEmpty()) catchAll = vs;
      for (String h : vs.config().hostnames()) {
        if (h.startsWith("*.")) wildcard.put(h.substring(1), vs);
        else exact.put(h, vs);
      }
    }
    this.maxConnections = max;
    // the services of a port read the header alike: the configuration's validation sees to it
    var proxyProtocol =
        services.isEmpty() ? null : services.get(0).config().clientAddress().proxyProtocol();
    this.proxySources = proxyProtocol == null ? null : AddressBlocks.of(proxyProtocol.sources());
    this.http2 = http2(services);
  }

  /**
   * The HTTP/2 settings of the port's connections, or null when no virtual service on it enables
   * HTTP/2. A connection's SETTINGS are sent before its first request names a host, so they are the
   * strictest of the services that enable it; a stream for a service that does not gets 421.
   */
  private static Http2Config http2(List<VirtualService> services) {
    Http2Config strictest = null;
    for (VirtualService vs : services) {
      Http2Config h = vs.config().http2();
      if (!h.enabled()) continue;
      strictest =
          strictest == null
              ? h
              : new Http2Config(
                  true,
                  Math.min(strictest.maxConcurrentStreams(), h.maxConcurrentStreams()),
                  Math.min(strictest.maxHeaderListBytes(), h.maxHeaderListBytes()));
    }
    return strictest;
  }

  /** HTTP/2 on the port's connections (ALPN h2, h2c with prior knowledge), or null: HTTP/1 only. */
  public Http2Config http2() {
    return http2;
  }

  /** The virtual service for a Host header value (port and case ignored), or null. */
  public VirtualService route(String host) {
    if (host == null || (exact.isEmpty() && wildcard.isEmpty())) return catchAll;
    String name = stripPort(host).toLowerCase(Locale.ROOT);
    VirtualService vs = exact.get(name);
    if (vs != null) return vs;
    for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
      vs = wildcard.get(name.substring(dot));
      if (vs != null) return vs;
    }
    return catchAll;
  }

  /**
   * True when every virtual service on the port would refuse this client with a close. A service
   * that trusts the client as a proxy decides per request, on the address its requests name.
   */
  public boolean closesAtAccept(java.net.InetAddress client) {
    for (VirtualService vs : services) {
      if ((vs.trustedProxies() != null && vs.trustedProxies().contains(client))
          || !vs.access().denies(client)
          || vs.access().action() != dev.limpet.contract.NetworkSecurityConfig.DenyAction.Close)
        return false;
    }
    return true;
  }

  public int maxConnections() {
    return maxConnections;
  }

  public List<VirtualService> services() {
    return services;
  }

  /** Where a PROXY protocol header is accepted from, or null when the port reads none. */
  public AddressBlocks proxySources() {
    return proxySources;
  }

  /** The port's TLS termination, or null when it speaks plain HTTP. */
  public ListenerTls tls() {
    return tls;
  }

  /** A Host or {@code :authority} value without its port. */
  public static String stripPort(String host) {
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end > 0 ? host.substring(0, end + 1) : host;
    }
    int colon = host.lastIndexOf(':');
    return colon >= 0 && host.indexOf(':') == colon ? host.substring(0, colon) : host;
  }
}
