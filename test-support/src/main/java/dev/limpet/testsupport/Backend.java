package dev.limpet.testsupport;

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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP server on its own loopback address, standing in for a pod. Every response names the
 * backend in {@code X-Backend}. Paths: {@code /} hello, {@code /echo} returns the request body's
 * size and checksum, {@code /bytes?n=N} streams N bytes, {@code /status?code=C}, {@code /login}
 * sets {@code JSESSIONID}, {@code /slow?ms=M}, {@code /headers} echoes the request headers.
 *
 * <p>A {@link #statusOnly} backend has none of these paths: every path answers the status a test
 * sets ({@link #answer(int)}, or per path {@link #answer(String, int)}) with no body, what a health
 * probe sees. Either kind counts and records what it was asked, and can stop listening and listen
 * again on the same address ({@link #stop}, {@link #restart}).
 */
public final class Backend implements AutoCloseable {
  /** Makes a server listening at an address, HTTP or HTTPS. */
  private interface Listener {
    HttpServer bind(InetSocketAddress address) throws IOException;
  }

  private final String name;
  private final boolean statusOnly;
  private final Listener listener;
  private final InetSocketAddress address;
  private volatile HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8);
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger sessions = new AtomicInteger();
  private final Map<String, Integer> statusByPath = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicInteger> served = new ConcurrentHashMap<>();
  private volatile int status = 200;
  private volatile String lastRequest;

  private Backend(String name, boolean statusOnly, Listener listener, String ip)
      throws IOException {
    this.name = name;
    this.statusOnly = statusOnly;
    this.listener = listener;
    this.server = listen(new InetSocketAddress(ip, 0));
    this.address = server.getAddress();
  }

  /** Starts a backend named {@code name} on {@code ip} and a free port. */
  public static Backend start(String name, String ip) throws IOException {
    return new Backend(name, false, at -> HttpServer.create(at, 256), ip);
  }

  /** Starts a backend that speaks HTTPS with {@code tls}'s certificate. */
  public static Backend startHttps(String name, String ip, SSLContext tls) throws IOException {
    return new Backend(
        name,
        false,
        at -> {
          HttpsServer server = HttpsServer.create(at, 256);
          server.setHttpsConfigurator(new HttpsConfigurator(tls));
          return server;
        },
        ip);
  }

  /**
   * Starts a backend on {@code ip} and a free port whose every path answers only the status set
   * ({@code 200} at first), with no body.
   */
  public static Backend statusOnly(String ip) throws IOException {
    return new Backend(ip, true, at -> HttpServer.create(at, 256), ip);
  }

  private HttpServer listen(InetSocketAddress at) throws IOException {
    HttpServer s = listener.bind(at);
    s.createContext("/", this::handle);
    s.setExecutor(executor);
    s.start();
    return s;
  }

  public String name() {
    return name;
  }

  public String ip() {
    return address.getAddress().getHostAddress();
  }

  public int port() {
    return address.getPort();
  }

  public int requests() {
    return requests.get();
  }

  /**
   * Makes every plain request (and health check) answer {@code code}; on a {@link #statusOnly}
   * backend, every path not set by {@link #answer(String, int)}.
   */
  public void answer(int code) {
    this.status = code;
  }

  /** Makes requests for {@code path} (without the query) answer {@code code}, with no body. */
  public void answer(String path, int code) {
    statusByPath.put(path, code);
  }

  /** How many requests were answered {@code code} by {@link #answer}'s status, per path or not. */
  public int served(int code) {
    return served.computeIfAbsent(code, c -> new AtomicInteger()).get();
  }

  /** The last request line and Host header, as {@code METHOD path host}. */
  public String lastRequest() {
    return lastRequest;
  }

  /** Stops listening: connections to the address are now refused. */
  public void stop() {
    server.stop(0);
  }

  /** Listens again on the same address and port. */
  public void restart() throws IOException {
    server = listen(address);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      URI uri = ex.getRequestURI();
      lastRequest =
          ex.getRequestMethod()
              + " "
              + uri.getPath()
              + " "
              + ex.getRequestHeaders().getFirst("Host");
      Integer set = statusByPath.get(uri.getPath());
      if (set != null || statusOnly) {
        ex.getRequestBody().readAllBytes();
        int code = set != null ? set : status;
        requests.incrementAndGet();
        served.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
        ex.sendResponseHeaders(code, -1);
        return;
      }
      requests.incrementAndGet();
      ex.getResponseHeaders().set("X-Backend", name);
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
