package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.script.ScriptEvent;
import dev.limpet.dataplane.script.ScriptExchange;
import dev.limpet.dataplane.script.ScriptResult;
import dev.limpet.dataplane.script.ScriptTransaction;
import dev.limpet.dataplane.tls.ListenerTls;
import dev.limpet.dataplane.transport.ClientConnection;
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
record ScriptView(
    Channel client,
    Listener listener,
    RoutedRequest routed,
    ScriptTransaction transaction,
    HttpResponse response,
    Server respondingServer,
    int internalStatus)
    implements ScriptExchange {
  /**
   * What the scripts of every request on one listener see of it.
   *
   * @param tls whether the listener terminates TLS ({@code avi.http.protocol} is "https")
   */
  record Listener(ProxyContext context, int port, boolean tls) {}

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
    SslHandler ssl = ClientConnection.of(client).pipeline().get(SslHandler.class);
    return ssl != null && ssl.handshakeFuture().isSuccess() ? ssl.engine().getSession() : null;
  }

  @Override
  public String serverName() {
    return ListenerTls.serverName(client);
  }

  @Override
  public InetSocketAddress clientAddress() {
    return routed.client().client();
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
    return routed.head();
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
    return routed.body() == null ? null : routed.body().bytes();
  }

  @Override
  public void log(String line) {
    transaction.log(line);
  }
}
