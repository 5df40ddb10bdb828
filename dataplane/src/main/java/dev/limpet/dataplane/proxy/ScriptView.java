package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.script.ScriptExchange;
import dev.limpet.dataplane.upstream.Server;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.net.InetSocketAddress;

/** One exchange as DataScripts see it, for the duration of one event's run. */
final class ScriptView implements ScriptExchange {
  private final Exchange exchange;
  private final InetSocketAddress local;
  private final HttpResponse response;
  private final boolean secure;
  private final ProxyContext context;
  private final int listenerPort;

  ScriptView(
      Exchange exchange,
      InetSocketAddress local,
      HttpResponse response,
      boolean secure,
      ProxyContext context,
      int listenerPort) {
    this.exchange = exchange;
    this.context = context;
    this.listenerPort = listenerPort;
    this.local = local;
    this.response = response;
    this.secure = secure;
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
