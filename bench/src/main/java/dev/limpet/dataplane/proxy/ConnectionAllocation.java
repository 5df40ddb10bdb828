package dev.limpet.dataplane.proxy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.limpet.dataplane.DataPlane;
import dev.limpet.dataplane.persistence.CookieKeySet;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * What the data plane spends per client connection when every request comes on a new one (the
 * anchors' {@code close} mode: wrk with {@code Connection: close}), for each {@code
 * bench/limpet-proxy.sh} variant: the same data plane, backends and requests as {@link
 * RequestAllocation}, but each request on its own connection, which the data plane closes after the
 * response (the client reads to the end of the stream before the next).
 *
 * <p>It prints the bytes allocated by the data plane's threads per connection (a count, the same on
 * a busy machine) and the server connections the backends accepted per client connection (a pool
 * that keeps server connections across client connections opens none after the warm-up). CPU time
 * of the same threads is printed for reference only.
 *
 * <pre>
 * java -cp ... dev.limpet.dataplane.proxy.ConnectionAllocation [variants] [connections] [warmup]
 * </pre>
 *
 * defaults {@code "src ds"}, 20,000 and 20,000 (run from the repository root, or set {@code
 * LIMPET_PROXY_SH}).
 */
public final class ConnectionAllocation {
  private static final int BACKENDS = 3;

  private ConnectionAllocation() {}

  public static void main(String[] args) throws Exception {
    String[] variants = (args.length > 0 ? args[0] : "src ds").trim().split("\\s+");
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("access").setLevel(Level.OFF);
    Thread.currentThread().setName(DataPlaneThreads.CLIENT);
    List<AnchorsBackend> backends = new ArrayList<>();
    try {
      for (int i = 0; i < BACKENDS; i++) backends.add(new AnchorsBackend("s" + (i + 1), 2 + i));
      List<String> rows = new ArrayList<>();
      for (String variant : variants) rows.add(run(variant, backends, connections, warmup));
      System.out.println();
      System.out.println(
          "| variant | bytes allocated per connection | server connections opened per client"
              + " connection | µs CPU per connection (busy machine: indicative) |");
      System.out.println("|---|---|---|---|");
      rows.forEach(System.out::println);
    } finally {
      for (AnchorsBackend b : backends) b.close();
    }
  }

  private static String run(
      String variant, List<AnchorsBackend> backends, int connections, int warmup) throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    String config = AnchorsSetup.render(variant, port, backends);
    try (DataPlane dataPlane = new DataPlane(1, CookieKeySet.random())) {
      dataPlane.apply(config);
      byte[][] messages = AnchorsSetup.requests(BACKENDS, "Connection: close\r\n");
      send(port, messages, warmup, 0);
      long serversBefore = accepted(backends);
      DataPlaneThreads threads = DataPlaneThreads.start();
      send(port, messages, connections, warmup);
      threads.stop();
      long opened = accepted(backends) - serversBefore;
      System.out.printf(
          Locale.ROOT,
          "%s: %,d connections, %,d server connections opened; by thread:%n",
          variant,
          connections,
          opened);
      threads.printByThread(connections, "connection");
      return String.format(
          Locale.ROOT,
          "| %s | %,.0f | %.3f | %.2f |",
          variant,
          (double) threads.bytes() / connections,
          (double) opened / connections,
          threads.cpuNanos() / 1000.0 / connections);
    }
  }

  private static long accepted(List<AnchorsBackend> backends) {
    long n = 0;
    for (AnchorsBackend b : backends) n += b.connections();
    return n;
  }

  /** Sends {@code n} requests, each on a new connection that the data plane closes after it. */
  private static void send(int port, byte[][] messages, int n, int offset) throws IOException {
    for (int i = 0; i < n; i++) {
      byte[] request = messages[(offset + i) % messages.length];
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        out.write(request);
        out.flush();
        int length = BenchHttp.readHead(in, "proxy");
        if (!BenchHttp.skip(in, length)) throw new IOException("proxy closed mid-body");
        if (in.read() >= 0) throw new IOException("proxy sent more than one response");
      }
    }
  }
}
