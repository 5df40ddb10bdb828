package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.script.ScriptExchange;
import dev.limpet.dataplane.upstream.Server;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLSession;

/** One exchange as DataScripts see it, for the duration of one event's run. */
final class ScriptView implements ScriptExchange {
  private final Exchange exchange;
  private final InetSocketAddress local;
  private final HttpResponse response;
  private final boolean secure;
  private final ProxyContext context;
  private final int listenerPort;
  private final SSLSession tlsSession;
  private final String serverName;

  ScriptView(
      Exchange exchange,
      InetSocketAddress local,
      HttpResponse response,
      boolean secure,
      ProxyContext context,
      int listenerPort,
      SSLSession tlsSession,
      String serverName) {
    this.exchange = exchange;
    this.context = context;
    this.listenerPort = listenerPort;
    this.local = local;
    this.response = response;
    this.secure = secure;
    this.tlsSession = tlsSession;
    this.serverName = serverName;
  }

  @Override
  public SSLSession tlsSession() {
    return tlsSession;
  }

  @Override
  public String serverName() {
    return serverName;
  }

  @Override
  public InetSocketAddress clientAddress() {
    return exchange.clientRequest().client();
  }

  @Override
  public InetSocketAddress localAddress() {
    return local;
  }

  @Override
  public boolean secure() {
    return secure;
  }

  @Override
  public HttpRequest request() {
    return exchange.head();
  }

  @Override
  public HttpResponse response() {
    return response;
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
