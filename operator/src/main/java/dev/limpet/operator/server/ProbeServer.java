package dev.limpet.operator.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The operator's small plain-HTTP port: {@code /healthz} (liveness), {@code /readyz} (readiness)
 * and {@code /metrics} (Prometheus text). The JDK's own HTTP server: three GET paths need no more.
 */
public final class ProbeServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor =
      Executors.newFixedThreadPool(2, r -> new Thread(r, "probes"));

  public ProbeServer(
      InetSocketAddress address,
      BooleanSupplier live,
      BooleanSupplier ready,
      Supplier<String> metrics)
      throws IOException {
    server = HttpServer.create(address, 16);
    server.createContext("/healthz", e -> probe(e, live.getAsBoolean(), "alive", "not alive"));
    server.createContext(
        "/readyz",
        e ->
            probe(
                e,
                ready.getAsBoolean(),
                "ready",
                "not ready: caches not synced yet, or shutting down"));
    server.createContext(
        "/metrics", e -> reply(e, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
    server.setExecutor(executor);
    server.start();
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static void probe(HttpExchange e, boolean ok, String yes, String no) throws IOException {
    reply(e, ok ? 200 : 503, "text/plain", (ok ? yes : no) + "\n");
  }

  static void reply(HttpExchange e, int status, String contentType, String body)
      throws IOException {
    try (e) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      e.getResponseHeaders().set("Content-Type", contentType);
      e.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = e.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
