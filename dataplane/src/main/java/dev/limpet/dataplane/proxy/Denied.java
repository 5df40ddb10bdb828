package dev.limpet.dataplane.proxy;

import dev.limpet.contract.NetworkSecurityConfig.DenyAction;
import io.netty.handler.codec.http.HttpRequest;

/**
 * A request the {@link Access} stage refused: the proxy answers it 403 (or closes the connection,
 * as the virtual service's deny action says) in its turn, after the responses to earlier pipelined
 * requests.
 */
record Denied(RoutedRequest request, DenyAction action) implements RequestMessage {
  @Override
  public HttpRequest head() {
    return request.head();
  }
}
