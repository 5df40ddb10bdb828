package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.script.ScriptResult;
import dev.limpet.dataplane.script.ScriptTransaction;
import io.netty.handler.codec.http.HttpRequest;

/**
 * A routed request its HTTP_REQ DataScripts did not let through ({@link RequestScripts}): they
 * answered it (local response, redirect), failed (500), or closed the connection ({@code
 * close_conn}, which drops the request). The proxy acts on {@code result} in the request's turn;
 * nothing goes upstream.
 */
record ScriptAnswer(RoutedRequest request, ScriptTransaction scripts, ScriptResult result)
    implements RequestMessage {
  @Override
  public HttpRequest head() {
    return request.head();
  }

  /** True when the scripts only closed the connection: no response at all. */
  boolean dropsConnection() {
    return result.action() instanceof ScriptResult.Proceed;
  }
}
