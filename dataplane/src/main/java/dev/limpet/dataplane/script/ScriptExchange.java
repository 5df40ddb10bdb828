package dev.limpet.dataplane.script;

import dev.limpet.dataplane.upstream.Server;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLSession;

/**
 * One request/response exchange as DataScripts see it; the proxy implements it over its own
 * objects. Called only on the thread that runs the script, during the run.
 */
public interface ScriptExchange {
  /** The client's address ({@code avi.vs.client_ip}, {@code client_port}). */
  InetSocketAddress clientAddress();

  /** The address the client connected to ({@code avi.vs.ip}, {@code avi.vs.port}). */
  InetSocketAddress localAddress();

  /** True when the client connection is TLS ({@code avi.http.protocol} is then "https"). */
  boolean secure();

  /**
   * The client connection's TLS session once its handshake is done ({@code avi.ssl.*}), or null on
   * plain HTTP.
   */
  default SSLSession tlsSession() {
    return null;
  }

  /** The SNI name the client sent ({@code avi.ssl.server_name}), or null. */
  default String serverName() {
    return null;
  }

  /**
   * The request head as it will go upstream. Scripts change its URI ({@code setUri}) and headers in
   * place during HTTP_REQ, and read it in HTTP_RESP.
   */
  HttpRequest request();

  /** In HTTP_RESP, the upstream response head, whose headers scripts change in place; else null. */
  HttpResponse response();

  /** In HTTP_RESP, the server that answered; else null. */
  Server respondingServer();

  /**
   * The first bytes of the request body, buffered before HTTP_REQ ({@code avi.http.get_req_body}),
   * or null when the proxy did not buffer it (no script of the virtual service names that
   * function).
   */
  default byte[] requestBody() {
    return null;
  }

  /**
   * In HTTP_RESP_FAILED, the status the proxy would answer with ({@code avi.http.internal_status}:
   * 502, 503 or 504); else 0.
   */
  default int internalStatus() {
    return 0;
  }

  /** Client connections open now on this virtual service's listener on this replica. */
  default int openConnections() {
    return 0;
  }

  /** The data-plane replicas that serve now, this one included ({@code avi.vs.se_count}). */
  default int replicaCount() {
    return 1;
  }

  /** Appends one line to this request's log record ({@code avi.vs.log}). */
  void log(String line);
}
