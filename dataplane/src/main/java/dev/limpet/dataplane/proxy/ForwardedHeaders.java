package dev.limpet.dataplane.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;

/** Adds {@code X-Forwarded-For/-Proto/-Port} so servers see the client and the listener. */
final class ForwardedHeaders {
  private ForwardedHeaders() {}

  static void add(
      HttpHeaders headers, InetSocketAddress client, String protocol, int listenerPort) {
    String ip = client.getAddress().getHostAddress();
    String prior = headers.get("x-forwarded-for");
    headers.set("x-forwarded-for", prior == null ? ip : prior + ", " + ip);
    headers.set("x-forwarded-proto", protocol);
    headers.set("x-forwarded-port", Integer.toString(listenerPort));
  }
}
