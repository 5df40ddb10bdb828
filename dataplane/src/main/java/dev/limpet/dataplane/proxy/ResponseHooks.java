package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.persistence.Persistence;
import dev.limpet.dataplane.script.ScriptEvent;
import dev.limpet.dataplane.script.ScriptResult;
import dev.limpet.dataplane.script.ScriptTransaction;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponse;

/**
 * What runs on a server's response head before it goes to the client, and instead of a response
 * that will not come: the HTTP_RESP DataScripts (they change the head in place, or answer in its
 * place), then the pool's persistence response hook (a cookie inserted, an application cookie
 * learned) and the completion of a script's {@code avi.vs.persist}; the HTTP_RESP_FAILED scripts
 * when no server answers. The relay calls it; it decides nothing about the connections.
 */
final class ResponseHooks {
  private final ScriptView.Listener listener;

  /**
   * @param tls whether the listener terminates TLS: inserted persistence cookies are then Secure
   */
  ResponseHooks(ProxyContext context, int port, boolean tls) {
    this.listener = new ScriptView.Listener(context, port, tls);
  }

  /**
   * Runs the hooks on {@code response}, the head the chosen server answered {@code request} with.
   * Returns the HTTP_RESP scripts' result, null when none ran: when its action is not {@code
   * Proceed} the scripts answer in the server's place and no persistence hook ran.
   *
   * @param scripts the request's transaction; null only when its virtual service has no scripts
   */
  ScriptResult onResponse(
      Channel client,
      RoutedRequest request,
      ScriptTransaction scripts,
      ServerChoice choice,
      HttpResponse response) {
    ScriptResult scripted =
        ScriptView.run(
            ScriptEvent.HTTP_RESP,
            client,
            listener,
            request,
            scripts,
            response,
            choice.server(),
            0);
    if (scripted != null && !(scripted.action() instanceof ScriptResult.Proceed)) return scripted;
    String served = choice.server().key();
    Persistence persistence = choice.pool().persistence();
    if (persistence != null) {
      if (listener.tls()) persistence = persistence.onTlsListener();
      persistence.onResponse(
          request.client(), choice.selection().pinnedKey(), served, response.headers());
    }
    if (scripts != null) scripts.serverResponded(choice.pool().name(), served);
    return scripted;
  }

  /**
   * Runs the HTTP_RESP_FAILED scripts of a request no server will answer; null when none ran.
   *
   * @param internalStatus the status the proxy would answer with (502, 503, 504)
   */
  ScriptResult onFailure(
      Channel client, RoutedRequest request, ScriptTransaction scripts, int internalStatus) {
    return ScriptView.run(
        ScriptEvent.HTTP_RESP_FAILED,
        client,
        listener,
        request,
        scripts,
        null,
        null,
        internalStatus);
  }
}
