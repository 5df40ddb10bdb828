package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.script.ScriptResult;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The ways a stage of the relay may end an exchange or its client connection. The proxy handler
 * carries them out, as it alone knows the connection's other exchanges (the next pipelined request,
 * the accounting, the close); a stage only says which ending its case calls for.
 */
interface ExchangeEndings {
  /** Answers the request with the proxy's own {@code status} instead of a server's response. */
  void reply(Exchange e, HttpResponseStatus status, String text);

  /** Answers as the DataScripts asked in the server's place (500 when they failed). */
  void scriptReply(Exchange e, ScriptResult result);

  /**
   * No valid response will come from a server (none up, connect failure, reset, timeout): the
   * HTTP_RESP_FAILED scripts may answer, else the proxy answers {@code status}.
   */
  void serverFailed(Exchange e, HttpResponseStatus status, String text);

  /**
   * The server's response is invalid or late: it is not waited for, its connection not reused, and
   * the client connection closes after the answer of {@link #serverFailed}.
   */
  default void abortUpstream(Exchange e, HttpResponseStatus status, String text) {
    e.closeAfter();
    serverFailed(e, status, text);
  }

  /**
   * The response started and cannot be completed: the exchange ends, its upstream connection is
   * dropped and the client connection closed, so the client does not take a part for the whole.
   */
  void abandon(Exchange e);

  /** Closes the client connection once what was written is sent. */
  void closeClient();

  /** Refuses a connection whose request never became an exchange: {@code status}, then close. */
  void refuseConnection(HttpResponseStatus status, String text);
}
