package dev.limpet.dataplane.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;

/**
 * Adds {@code X-Forwarded-For/-Proto/-Port} so servers see the client and the listener, for the
 * requests of one client connection: the texts, which do not change between its requests, are built
 * once.
 */
final class ForwardedHeaders {
  private static final AsciiString FOR = AsciiString.cached("x-forwarded-for");
  private static final AsciiString PROTO = AsciiString.cached("x-forwarded-proto");
  private static final AsciiString PORT = AsciiString.cached("x-forwarded-port");
  private static final AsciiString HTTP = AsciiString.cached("http");
  private static final AsciiString HTTPS = AsciiString.cached("https");

  private final AsciiString protocol;
  private final AsciiString listenerPort;
  private InetSocketAddress client;
  private String clientText;

  ForwardedHeaders(boolean tls, int listenerPort) {
    this.protocol = tls ? HTTPS : HTTP;
    this.listenerPort = AsciiString.of(Integer.toString(listenerPort));
  }

  void add(HttpHeaders headers, InetSocketAddress client) {
    if (client != this.client) {
      this.clientText = client.getAddress().getHostAddress();
      this.client = client;
    }
    String prior = headers.get(FOR);
    headers.set(FOR, prior == null ? clientText : prior + ", " + clientText);
    headers.set(PROTO, protocol);
    headers.set(PORT, listenerPort);
  }
}
