package dev.limpet.dataplane.script;

import dev.limpet.dataplane.upstream.Server;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSession;

/** An exchange over plain Netty message heads, as the proxy will hand them to scripts. */
final class FakeExchange implements ScriptExchange {
  final HttpRequest request;
  HttpResponse response;
  Server respondingServer;
  boolean secure;
  SSLSession tlsSession;
  String serverName;
  InetSocketAddress client = new InetSocketAddress("192.0.2.7", 51234);
  InetSocketAddress local = new InetSocketAddress("127.0.0.1", 8080);
  final List<String> logLines = new ArrayList<>();

  FakeExchange(String uri) {
    request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    request.headers().set("Host", "shop.example.com:8080");
  }

  FakeExchange header(String name, String value) {
    request.headers().add(name, value);
    return this;
  }

  /** Moves the exchange to HTTP_RESP: the upstream answered with {@code status}. */
  FakeExchange respond(int status, Server server) {
    response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
    respondingServer = server;
    return this;
  }

  FakeExchange responseHeader(String name, String value) {
    response.headers().add(name, value);
    return this;
  }

  @Override
  public InetSocketAddress clientAddress() {
    return client;
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
  public SSLSession tlsSession() {
    return tlsSession;
  }

  @Override
  public String serverName() {
    return serverName;
  }

  @Override
  public HttpRequest request() {
    return request;
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
  public void log(String line) {
    logLines.add(line);
  }
}
