package dev.limpet.dataplane.script;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * What the DataScripts of one event decided.
 *
 * @param action what the proxy does next
 * @param close whether to close the client connection after this event ({@code
 *     avi.http.close_conn})
 * @param selection the pool (and server) {@code avi.pool.select} chose in this transaction, or
 *     null: the virtual service's pool with its own load balancing and persistence
 */
public record ScriptResult(Action action, Close close, PoolSelection selection) {

  /** What the proxy does with the exchange. */
  public sealed interface Action permits Proceed, LocalResponse, Redirect, Failed {}

  /** Go on: forward the request (HTTP_REQ) or the response (HTTP_RESP). */
  public record Proceed() implements Action {}

  /**
   * Answer the client with this instead of going upstream (HTTP_REQ) or instead of the upstream
   * response (HTTP_RESP, HTTP_RESP_FAILED).
   */
  public record LocalResponse(int status, HttpHeaders headers, byte[] body) implements Action {}

  /** Answer the client with a redirect to {@code location}. */
  public record Redirect(String location, int status) implements Action {}

  /** A script failed: answer 500. The failure is already logged and counted. */
  public record Failed(ScriptFailure failure) implements Action {}

  /** How the client connection ends after this event. */
  public enum Close {
    /** Keep it as HTTP says. */
    NONE,
    /** Graceful close (FIN) once the response is sent. */
    FIN,
    /** Abortive close (TCP RST). */
    RST
  }

  static final Proceed PROCEED = new Proceed();
}
