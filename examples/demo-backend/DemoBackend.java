import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny backend for trying Limpet without a cluster: `java DemoBackend.java NAME IP PORT`.
 * Answers every path with its name (also in X-Backend); /login sets a JSESSIONID cookie.
 */
public class DemoBackend {
  public static void main(String[] args) throws Exception {
    String name = args[0];
    AtomicInteger sessions = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress(args[1], Integer.parseInt(args[2])), 128);
    server.createContext("/", ex -> {
      if (ex.getRequestURI().getPath().equals("/login"))
        ex.getResponseHeaders().add("Set-Cookie", "JSESSIONID=" + name + "-" + sessions.incrementAndGet() + "; Path=/");
      byte[] body = ("hello from " + name + "\n").getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("X-Backend", name);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
    System.out.println(name + " listening on " + args[1] + ":" + args[2]);
  }
}
