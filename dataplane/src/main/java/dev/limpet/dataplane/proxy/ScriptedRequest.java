package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.script.ScriptTransaction;
import dev.limpet.dataplane.upstream.Pool;
import dev.limpet.dataplane.upstream.Server;
import io.netty.handler.codec.http.HttpRequest;

/**
 * A routed request its HTTP_REQ DataScripts let through ({@link RequestScripts}): it goes to {@code
 * pool} (the virtual service's unless {@code avi.pool.select} chose another), to {@code named} when
 * a script named a server, and its later events run in {@code scripts}.
 */
record ScriptedRequest(RoutedRequest request, ScriptTransaction scripts, Pool pool, Server named)
    implements RequestMessage {
  @Override
  public HttpRequest head() {
    return request.head();
  }
}
