package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.script.ScriptEvent;
import dev.limpet.dataplane.script.ScriptExchange;
import dev.limpet.dataplane.script.ScriptResult;
import dev.limpet.dataplane.script.ScriptTransaction;
import dev.limpet.dataplane.tls.ListenerTls;
import dev.limpet.dataplane.upstream.Server;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLSession;

/**
 * One exchange as DataScripts see it, for the duration of one event's run. What the connection says
 * (addresses, TLS) is read when a script asks for it.
 */
final class ScriptView implements ScriptExchange {
  /**
   * What the scripts of every request on one listener see of it.
   *
   * @param tls whether the listener terminates TLS ({@code avi.http.protocol} is "https")
   */
  record Listener(ProxyContext context, int port, boolean tls) {}

  private final Listener listener;
  private final RoutedRequest request;
  private final ScriptTransaction transaction;
  private final HttpResponse response;
  private final Server respondingServer;
  private final int internalStatus;
  private final Channel client;

  private ScriptView(
      Channel client,
      Listener listener,
      RoutedRequest request,
      ScriptTransaction transaction,
      HttpResponse response,
      Server respondingServer,
      int internalStatus) {
    this.listener = listener;
    this.request = request;
    this.transaction = transaction;
    this.response = response;
    this.respondingServer = respondingServer;
    this.internalStatus = internalStatus;
    this.client = client;
  }

  /**
   * Runs the scripts of {@code request}'s virtual service for {@code event}; null when none handles
   * it.
   *
   * @param response in HTTP_RESP, the server's response head; else null
   * @param respondingServer in HTTP_RESP, the server that answered; else null
   * @param internalStatus in HTTP_RESP_FAILED, the status the proxy would answer; else 0
   */
  static ScriptResult run(
      ScriptEvent event,
      Channel client,
      Listener listener,
      RoutedRequest request,
      ScriptTransaction transaction,
      HttpResponse response,
      Server respondingServer,
      int internalStatus) {
    var scripts = request.vs().scripts();
    if (scripts == null || !scripts.handles(event)) return null;
    return scripts.run(
        event,
        transaction,
        new ScriptView(
            client, listener, request, transaction, response, respondingServer, internalStatus));
  }

  @Override
  public SSLSession tlsSession() {
    SslHandler ssl = client.pipeline().get(SslHandler.class);
    return ssl != null && ssl.handshakeFuture().isSuccess() ? ssl.engine().getSession() : null;
  }

  @Override
  public String serverName() {
    return ListenerTls.serverName(client);
  }

  @Override
  public InetSocketAddress clientAddress() {
    return request.client().client();
  }

  @Override
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) client.localAddress();
  }

  @Override
  public boolean secure() {
    return listener.tls();
  }

  @Override
  public HttpRequest request() {
    return request.head();
  }

  @Override
  public HttpResponse response() {
    return response;
  }

  @Override
  public Server respondingServer() {
    return respondingServer;
  }

  @Override
  public int internalStatus() {
    return internalStatus;
  }

  @Override
  public int openConnections() {
    return listener.context().openConnections(listener.port());
  }

  @Override
  public int replicaCount() {
    return listener.context().replicas();
  }

  @Override
  public byte[] requestBody() {
    return request.body() == null ? null : request.body().bytes();
  }

  @Override
  public void log(String line) {
    transaction.log(line);
  }
}
