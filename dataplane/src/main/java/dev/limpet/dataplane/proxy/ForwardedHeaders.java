package dev.limpet.dataplane.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;

/**
 * Sets {@code X-Forwarded-For/-Proto/-Port} so servers see the client chain and the listener, for
 * the requests of one client connection: the texts, which do not change between its requests (the
 * connection's client, the protocol, the port), are built once.
 */
final class ForwardedHeaders {
  private static final AsciiString PROTO = AsciiString.cached("x-forwarded-proto");
  private static final AsciiString PORT = AsciiString.cached("x-forwarded-port");
  private static final AsciiString HTTP = AsciiString.cached("http");
  private static final AsciiString HTTPS = AsciiString.cached("https");

  private final AsciiString protocol;
  private final AsciiString listenerPort;
  private InetSocketAddress client;
  private String clientText;

  /**
   * @param listenerPort the port as the field writes it ({@link #portText})
   */
  ForwardedHeaders(boolean tls, AsciiString listenerPort) {
    this.protocol = tls ? HTTPS : HTTP;
    this.listenerPort = listenerPort;
  }

  /** {@code port} as {@code X-Forwarded-Port} writes it. */
  static AsciiString portText(int port) {
    return AsciiString.of(Integer.toString(port));
  }

  /** The connection's client as the field writes it. */
  String text(InetSocketAddress client) {
    if (client != this.client) {
      this.clientText = client.getAddress().getHostAddress();
      this.client = client;
    }
    return clientText;
  }

  /**
   * @param forwardedFor the chain {@link ForwardedFor#outgoing} made
   */
  void add(HttpHeaders headers, String forwardedFor) {
    headers.set(ForwardedFor.NAME, forwardedFor);
    headers.set(PROTO, protocol);
    headers.set(PORT, listenerPort);
  }
}
