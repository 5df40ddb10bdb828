import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The demo backend of the examples: `java DemoBackend.java [NAME [ADDRESS [PORT]]]` (defaults:
 * $HOSTNAME, i.e. the pod name, 0.0.0.0, 8080). Answers every path with "hello from NAME" (also in
 * X-Backend, so a client sees which server answered); /login sets a new JSESSIONID cookie, as a
 * Java application server does; /health answers 200 for health monitors.
 */
public class DemoBackend {
  public static void main(String[] args) throws IOException {
    String name = args.length > 0 ? args[0] : System.getenv().getOrDefault("HOSTNAME", "demo");
    String address = args.length > 1 ? args[1] : "0.0.0.0";
    int port = args.length > 2 ? Integer.parseInt(args[2]) : 8080;
    AtomicInteger sessions = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 512);
    server.createContext("/", exchange -> answer(exchange, name, sessions));
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.start();
    System.out.println(name + " listening on " + address + ":" + port);
  }

  private static void answer(HttpExchange exchange, String name, AtomicInteger sessions)
      throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      if (exchange.getRequestURI().getPath().endsWith("/login"))
        exchange
            .getResponseHeaders()
            .add("Set-Cookie", "JSESSIONID=" + name + "-" + sessions.incrementAndGet() + "; Path=/");
      byte[] body = ("hello from " + name + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("X-Backend", name);
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }
}
