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
 * Bytes the data plane allocates per keep-alive request, for each {@code bench/limpet-proxy.sh}
 * variant, through the real pipeline: a {@link DataPlane} in this JVM with one event loop, three
 * backends on 127.0.0.2–4 (100-byte body, {@code X-Backend}, as the anchors' nginx), and a client
 * that sends the anchors' requests (1,000 clients round-robin: {@code True-Client-IP}, {@code
 * Cookie}) over a few keep-alive connections, one request at a time.
 *
 * <p>Allocated bytes are counted per thread ({@code ThreadMXBean.getThreadAllocatedBytes}) over
 * every thread of the data plane, not the client's or the backends': a count, not a timing, so it
 * is the same on a busy machine. CPU time of the same threads is printed beside it for reference
 * only.
 *
 * <pre>
 * java -cp ... dev.limpet.dataplane.proxy.RequestAllocation [variants] [requests] [warmup]
 * </pre>
 *
 * defaults {@code "src ds"}, 100,000 and 100,000. The configuration of a variant is what {@code
 * bench/limpet-proxy.sh} renders for the anchors run (run from the repository root, or set {@code
 * LIMPET_PROXY_SH}).
 */
public final class RequestAllocation {
  private static final int CONNECTIONS = 8;
  private static final int BACKENDS = 3;

  private RequestAllocation() {}

  public static void main(String[] args) throws Exception {
    String[] variants = (args.length > 0 ? args[0] : "src ds").trim().split("\\s+");
    int requests = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("access").setLevel(Level.OFF);
    Thread.currentThread().setName(DataPlaneThreads.CLIENT);
    List<AnchorsBackend> backends = new ArrayList<>();
    try {
      for (int i = 0; i < BACKENDS; i++) backends.add(new AnchorsBackend("s" + (i + 1), 2 + i));
      List<String> rows = new ArrayList<>();
      for (String variant : variants) rows.add(run(variant, backends, requests, warmup));
      System.out.println();
      System.out.println(
          "| variant | bytes allocated per request | µs CPU per request (busy machine: indicative) |");
      System.out.println("|---|---|---|");
      rows.forEach(System.out::println);
    } finally {
      for (AnchorsBackend b : backends) b.close();
    }
  }

  private static String run(String variant, List<AnchorsBackend> backends, int requests, int warmup)
      throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    String config = AnchorsSetup.render(variant, port, backends);
    try (DataPlane dataPlane = new DataPlane(1, CookieKeySet.random())) {
      dataPlane.apply(config);
      byte[][] messages = AnchorsSetup.requests(BACKENDS, "");
      List<Connection> connections = new ArrayList<>();
      try {
        for (int i = 0; i < CONNECTIONS; i++) connections.add(new Connection(port));
        send(connections, messages, warmup, 0);
        DataPlaneThreads threads = DataPlaneThreads.start();
        send(connections, messages, requests, warmup);
        threads.stop();
        System.out.printf(Locale.ROOT, "%s: %,d requests, by thread:%n", variant, requests);
        threads.printByThread(requests, "request");
        return String.format(
            Locale.ROOT,
            "| %s | %,.0f | %.2f |",
            variant,
            (double) threads.bytes() / requests,
            threads.cpuNanos() / 1000.0 / requests);
      } finally {
        for (Connection c : connections) c.close();
      }
    }
  }

  private static void send(List<Connection> connections, byte[][] messages, int n, int offset)
      throws IOException {
    for (int i = 0; i < n; i++) {
      int r = offset + i;
      connections.get(r % connections.size()).exchange(messages[r % messages.length]);
    }
  }

  /** One keep-alive client connection; each exchange reads the whole response. */
  private static final class Connection implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    Connection(int port) throws IOException {
      socket = new Socket(InetAddress.getLoopbackAddress(), port);
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(10_000);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream());
    }

    void exchange(byte[] request) throws IOException {
      out.write(request);
      out.flush();
      int length = BenchHttp.readHead(in, "proxy");
      if (!BenchHttp.skip(in, length)) throw new IOException("proxy closed mid-body");
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
