package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.script.ScriptExchange;
import dev.limpet.dataplane.upstream.Server;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLSession;

/**
 * One exchange as DataScripts see it, for the duration of one event's run: {@code response} is the
 * upstream's head in HTTP_RESP (else null), {@code secure} whether the client came over TLS, {@code
 * tlsSession} and {@code serverName} its session and SNI name once the handshake is done.
 */
record ScriptView(
    Exchange exchange,
    InetSocketAddress local,
    HttpResponse response,
    boolean secure,
    ProxyContext context,
    int listenerPort,
    SSLSession tlsSession,
    String serverName)
    implements ScriptExchange {

  @Override
  public InetSocketAddress clientAddress() {
    return exchange.clientRequest().client();
  }

  @Override
  public InetSocketAddress localAddress() {
    return local;
  }

  @Override
  public HttpRequest request() {
    return exchange.head();
  }

  @Override
  public Server respondingServer() {
    return response == null ? null : exchange.server();
  }

  @Override
  public int internalStatus() {
    return exchange.internalStatus;
  }

  @Override
  public int openConnections() {
    return context.openConnections(listenerPort);
  }

  @Override
  public int replicaCount() {
    return context.replicas();
  }

  @Override
  public byte[] requestBody() {
    return exchange.requestBody();
  }

  @Override
  public void log(String line) {
    exchange.scriptLog.add(line);
  }
}
