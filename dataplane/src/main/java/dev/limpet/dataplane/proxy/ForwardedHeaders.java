package dev.limpet.dataplane.proxy;

import io.netty.handler.codec.http.HttpHeaders;

/** Adds {@code X-Forwarded-For/-Proto/-Port} so servers see the client and the listener. */
final class ForwardedHeaders {
  private ForwardedHeaders() {}

  /**
   * @param forwardedFor the chain {@link ForwardedFor#outgoing} made
   */
  static void add(HttpHeaders headers, String forwardedFor, String protocol, int listenerPort) {
    headers.set(ForwardedFor.NAME, forwardedFor);
    headers.set("x-forwarded-proto", protocol);
    headers.set("x-forwarded-port", Integer.toString(listenerPort));
  }
}
