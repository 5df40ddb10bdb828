package dev.limpet.dataplane.upstream.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on a 127.0.0.x address whose answers a test sets, per path, and which counts
 * and records what it was asked.
 */
final class HttpBackend implements AutoCloseable {
  private final InetSocketAddress address;
  private final Map<String, Integer> statusByPath = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicInteger> served = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile int status = 200;
  private volatile String lastRequest;
  private HttpServer server;

  private HttpBackend(InetSocketAddress address) throws IOException {
    this.server = listen(address);
    this.address = server.getAddress();
  }

  /** Listens on {@code ip} at a free port. */
  static HttpBackend start(String ip) throws IOException {
    return new HttpBackend(new InetSocketAddress(ip, 0));
  }

  String ip() {
    return address.getHostString();
  }

  int port() {
    return address.getPort();
  }

  /** The status every path answers unless set per path. */
  void respond(int status) {
    this.status = status;
  }

  void respond(String path, int status) {
    statusByPath.put(path, status);
  }

  int requests() {
    return requests.get();
  }

  int served(int status) {
    return served.computeIfAbsent(status, s -> new AtomicInteger()).get();
  }

  /** The last request line and Host header, as {@code METHOD path host}. */
  String lastRequest() {
    return lastRequest;
  }

  /** Stops listening: connections to the address are now refused. */
  void stop() {
    server.stop(0);
  }

  /** Listens again on the same address and port. */
  void restart() throws IOException {
    server = listen(address);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private HttpServer listen(InetSocketAddress at) throws IOException {
    HttpServer s = HttpServer.create(at, 16);
    s.createContext("/", this::answer);
    s.start();
    return s;
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getPath();
      lastRequest =
          exchange.getRequestMethod()
              + " "
              + path
              + " "
              + exchange.getRequestHeaders().getFirst("Host");
      int code = statusByPath.getOrDefault(path, status);
      requests.incrementAndGet();
      served.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
      exchange.sendResponseHeaders(code, -1);
    }
  }
}
