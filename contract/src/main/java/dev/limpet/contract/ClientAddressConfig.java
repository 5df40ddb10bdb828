package dev.limpet.contract;

import java.util.List;

/**
 * Where a virtual service's client address comes from besides the socket's peer: a PROXY protocol
 * header (v1 or v2) sent by the listed load balancers before anything else on the connection, and
 * the {@code X-Forwarded-For} field of requests from trusted proxies. Both off by default: the
 * client is the socket's peer.
 *
 * @param proxyProtocol null: the listener reads no PROXY header
 * @param forwardedFor null: {@code X-Forwarded-For} is never trusted
 */
public record ClientAddressConfig(ProxyProtocol proxyProtocol, ForwardedFor forwardedFor) {
  /** The socket's peer is the client. */
  public static final ClientAddressConfig SOCKET = new ClientAddressConfig(null, null);

  /** True for {@link #SOCKET}: Jackson's filter of values a document leaves out. */
  public static final class IsSocket {
    @Override
    public boolean equals(Object value) {
      return value == null || SOCKET.equals(value);
    }

    @Override
    public int hashCode() {
      return 0;
    }
  }

  /** The most entries a list of address blocks may hold. */
  public static final int MAX_BLOCKS = 64;

  /**
   * A PROXY protocol header is required on every connection of the port, from these address blocks
   * only; a connection from elsewhere, or without a well-formed header, is closed.
   */
  public record ProxyProtocol(List<String> sources) {
    public ProxyProtocol {
      sources = Defaults.list(sources);
    }
  }

  /**
   * A request whose connection comes from one of these address blocks names its client in {@code
   * X-Forwarded-For}: the right-most address there that is not itself a trusted proxy.
   */
  public record ForwardedFor(List<String> trustedProxies) {
    public ForwardedFor {
      trustedProxies = Defaults.list(trustedProxies);
    }
  }
}
