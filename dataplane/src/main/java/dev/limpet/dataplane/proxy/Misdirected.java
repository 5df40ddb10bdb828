package dev.limpet.dataplane.proxy;

import io.netty.handler.codec.http.HttpRequest;

/**
 * A request the {@link Misdirection} stage found on a connection that must not serve it: the proxy
 * answers it 421 in its turn, and the client retries on a connection of its own.
 */
record Misdirected(RoutedRequest request) implements RequestMessage {
  @Override
  public HttpRequest head() {
    return request.head();
  }
}
