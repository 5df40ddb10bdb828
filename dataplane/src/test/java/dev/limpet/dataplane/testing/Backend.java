package dev.limpet.dataplane.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP server on its own loopback address, standing in for a pod. Every response names the
 * backend in {@code X-Backend}. Paths: {@code /} hello, {@code /echo} returns the request body's
 * size and checksum, {@code /bytes?n=N} streams N bytes, {@code /status?code=C}, {@code /login}
 * sets {@code JSESSIONID}, {@code /slow?ms=M}, {@code /headers} echoes the request headers.
 */
public final class Backend implements AutoCloseable {
  private final String name;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8);
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger sessions = new AtomicInteger();
  private volatile int status = 200;

  private Backend(String name, HttpServer server) {
    this.name = name;
    this.server = server;
  }

  /** Starts a backend named {@code name} on {@code ip} and a free port. */
  public static Backend start(String name, String ip) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(ip, 0), 256);
    Backend backend = new Backend(name, server);
    server.createContext("/", backend::handle);
    server.setExecutor(backend.executor);
    server.start();
    return backend;
  }

  /** Starts a backend that speaks HTTPS with {@code tls}'s certificate. */
  public static Backend startHttps(String name, String ip, SSLContext tls) throws IOException {
    HttpsServer server = HttpsServer.create(new InetSocketAddress(ip, 0), 256);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    Backend backend = new Backend(name, server);
    server.createContext("/", backend::handle);
    server.setExecutor(backend.executor);
    server.start();
    return backend;
  }

  public String name() {
    return name;
  }

  public String ip() {
    return server.getAddress().getAddress().getHostAddress();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public int requests() {
    return requests.get();
  }

  /** Makes every plain request (and health check) answer {@code code}. */
  public void answer(int code) {
    this.status = code;
  }

  private void handle(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    try (ex) {
      ex.getResponseHeaders().set("X-Backend", name);
      URI uri = ex.getRequestURI();
      String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
      switch (uri.getPath().replaceAll(";.*", "")) {
        case "/echo" -> echo(ex);
        case "/bytes" -> bytes(ex, Long.parseLong(param(query, "n")));
        case "/status" -> send(ex, Integer.parseInt(param(query, "code")), name);
        case "/health" -> send(ex, status, name);
        case "/login" -> {
          ex.getResponseHeaders()
              .add(
                  "Set-Cookie",
                  "JSESSIONID=" + name + "-" + sessions.incrementAndGet() + "; Path=/");
          send(ex, 200, name);
        }
        case "/slow" -> {
          sleep(Long.parseLong(param(query, "ms")));
          send(ex, 200, name);
        }
        case "/headers" -> {
          StringBuilder sb = new StringBuilder();
          ex.getRequestHeaders()
              .forEach(
                  (k, v) ->
                      sb.append(k.toLowerCase())
                          .append(": ")
                          .append(String.join(",", v))
                          .append('\n'));
          send(ex, 200, sb.toString());
        }
        default -> send(ex, status, "backend=" + name);
      }
    }
  }

  private static void echo(HttpExchange ex) throws IOException {
    long n = 0, sum = 0;
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = ex.getRequestBody()) {
      for (int r; (r = in.read(buf)) > 0; ) {
        n += r;
        for (int i = 0; i < r; i++) sum += buf[i] & 0xff;
      }
    }
    send(ex, 200, n + " " + sum);
  }

  private static void bytes(HttpExchange ex, long n) throws IOException {
    ex.sendResponseHeaders(200, n);
    byte[] buf = new byte[64 * 1024];
    for (int i = 0; i < buf.length; i++) buf[i] = (byte) i;
    try (OutputStream out = ex.getResponseBody()) {
      for (long left = n; left > 0; left -= buf.length)
        out.write(buf, 0, (int) Math.min(buf.length, left));
    }
  }

  private static void send(HttpExchange ex, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) ex.getResponseBody().write(bytes);
  }

  private static String param(String query, String key) {
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(key)) return pair.substring(eq + 1);
    }
    throw new IllegalArgumentException("missing query parameter " + key);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
