package dev.limpet.dataplane.proxy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.limpet.dataplane.DataPlane;
import dev.limpet.dataplane.persistence.CookieKeySet;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
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
  private static final int CLIENTS = 1_000;
  private static final int CONNECTIONS = 8;
  private static final int BACKENDS = 3;
  private static final String CLIENT_THREAD = "bench-client";
  static final String BACKEND_THREAD = "bench-backend";
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private RequestAllocation() {}

  public static void main(String[] args) throws Exception {
    String[] variants = (args.length > 0 ? args[0] : "src ds").trim().split("\\s+");
    int requests = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("access").setLevel(Level.OFF);
    Thread.currentThread().setName(CLIENT_THREAD);
    List<Backend> backends = new ArrayList<>();
    try {
      for (int i = 0; i < BACKENDS; i++) backends.add(new Backend("s" + (i + 1), 2 + i));
      List<String> rows = new ArrayList<>();
      for (String variant : variants) rows.add(run(variant, backends, requests, warmup));
      System.out.println();
      System.out.println(
          "| variant | bytes allocated per request | µs CPU per request (busy machine: indicative) |");
      System.out.println("|---|---|---|");
      rows.forEach(System.out::println);
    } finally {
      for (Backend b : backends) b.close();
    }
  }

  private static String run(String variant, List<Backend> backends, int requests, int warmup)
      throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    String config = render(variant, port, backends, "");
    try (DataPlane dataPlane = new DataPlane(1, CookieKeySet.random())) {
      dataPlane.apply(config);
      byte[][] messages = requests();
      List<Connection> connections = new ArrayList<>();
      try {
        for (int i = 0; i < CONNECTIONS; i++) connections.add(new Connection(port));
        send(connections, messages, warmup, 0);
        Map<Long, String> threads = dataPlaneThreads();
        long[] ids = threads.keySet().stream().mapToLong(Long::longValue).toArray();
        long[] bytesBefore = THREADS.getThreadAllocatedBytes(ids);
        long[] cpuBefore = THREADS.getThreadCpuTime(ids);
        send(connections, messages, requests, warmup);
        long[] bytesAfter = THREADS.getThreadAllocatedBytes(ids);
        long[] cpuAfter = THREADS.getThreadCpuTime(ids);
        long bytes = 0;
        long cpu = 0;
        Map<String, Long> byThread = new TreeMap<>();
        for (int i = 0; i < ids.length; i++) {
          if (bytesBefore[i] < 0 || bytesAfter[i] < 0) continue; // ended meanwhile
          long b = bytesAfter[i] - bytesBefore[i];
          bytes += b;
          if (cpuBefore[i] >= 0 && cpuAfter[i] >= 0) cpu += cpuAfter[i] - cpuBefore[i];
          if (b > 0) byThread.merge(threads.get(ids[i]), b, Long::sum);
        }
        System.out.printf(Locale.ROOT, "%s: %,d requests, by thread:%n", variant, requests);
        byThread.forEach(
            (name, b) ->
                System.out.printf(
                    Locale.ROOT, "  %-40s %,10.1f B/request%n", name, (double) b / requests));
        return String.format(
            Locale.ROOT,
            "| %s | %,.0f | %.2f |",
            variant,
            (double) bytes / requests,
            cpu / 1000.0 / requests);
      } finally {
        for (Connection c : connections) c.close();
      }
    }
  }

  /**
   * The configuration {@code bench/limpet-proxy.sh} renders for {@code variant}, with {@code
   * extraVs} as its {@code LIMPET_EXTRA_VS} (more virtual services on pool {@code be}).
   */
  static String render(String variant, int port, List<Backend> backends, String extraVs)
      throws IOException, InterruptedException {
    Path script = Path.of(System.getenv().getOrDefault("LIMPET_PROXY_SH", "bench/limpet-proxy.sh"));
    if (!Files.isRegularFile(script))
      throw new IllegalStateException(
          script.toAbsolutePath()
              + " not found: run from the repository root or set LIMPET_PROXY_SH");
    Path runDir = Files.createTempDirectory("limpet-alloc");
    try {
      StringBuilder list = new StringBuilder();
      for (Backend b : backends) {
        if (list.length() > 0) list.append(',');
        list.append(b.ip).append(':').append(b.port());
      }
      ProcessBuilder pb = new ProcessBuilder("bash", script.toString());
      pb.environment().put("RUNDIR", runDir.toString());
      pb.environment().put("PROXY_VARIANT", variant);
      pb.environment().put("PROXY_PORT", Integer.toString(port));
      pb.environment().put("BACKENDS", list.toString());
      pb.environment().put("PROXY_THREADS", "1");
      pb.environment().put("LIMPET_RENDER_ONLY", "1");
      pb.environment().put("LIMPET_EXTRA_VS", extraVs);
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0)
        throw new IllegalStateException(script + " failed for variant " + variant);
      return out;
    } finally {
      try (var files = Files.list(runDir)) {
        for (Path f : (Iterable<Path>) files::iterator) Files.delete(f);
      }
      Files.delete(runDir);
    }
  }

  /** The anchors' clients.lua requests: client k's True-Client-IP and cookies. */
  private static byte[][] requests() {
    java.util.Random random = new java.util.Random(4242);
    byte[][] out = new byte[CLIENTS][];
    for (int k = 0; k < CLIENTS; k++) {
      String srv = "s" + (k % BACKENDS + 1);
      StringBuilder hex = new StringBuilder();
      for (int j = 0; j < 8; j++) hex.append(String.format("%04X", random.nextInt(65_536)));
      String request =
          "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nTrue-Client-IP: 198.18."
              + (k / 250)
              + "."
              + (k % 250 + 1)
              + "\r\nCookie: SRV="
              + srv
              + "; JSESSIONID="
              + hex
              + "."
              + srv
              + "\r\n\r\n";
      out[k] = request.getBytes(StandardCharsets.US_ASCII);
    }
    return out;
  }

  private static void send(List<Connection> connections, byte[][] messages, int n, int offset)
      throws IOException {
    for (int i = 0; i < n; i++) {
      int r = offset + i;
      connections.get(r % connections.size()).exchange(messages[r % messages.length]);
    }
  }

  /** Every live thread but this harness's client and backends, by id. */
  private static Map<Long, String> dataPlaneThreads() {
    Map<Long, String> threads = new HashMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String name = t.getName();
      if (!name.equals(CLIENT_THREAD) && !name.startsWith(BACKEND_THREAD))
        threads.put(t.getId(), name.replaceAll("-\\d+$", "-N"));
    }
    return threads;
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
      int length = Http.readHead(in, "proxy");
      if (!Http.skip(in, length)) throw new IOException("proxy closed mid-body");
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** A backend like the anchors' nginx: 200 with a 100-byte body and {@code X-Backend}. */
  static final class Backend implements AutoCloseable {
    final String ip;
    private final ServerSocket server;
    private final byte[] response;
    private final List<Socket> accepted = new ArrayList<>();

    Backend(String name, int lastOctet) throws IOException {
      ip = "127.0.0." + lastOctet;
      server = new ServerSocket();
      server.bind(new InetSocketAddress(ip, 0), 64);
      response =
          ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\nX-Backend: "
                  + name
                  + "\r\n\r\n"
                  + "x".repeat(99)
                  + "\n")
              .getBytes(StandardCharsets.US_ASCII);
      Thread acceptor = new Thread(this::accept, BACKEND_THREAD + "-" + name);
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          synchronized (accepted) {
            accepted.add(s);
          }
          Thread t = new Thread(() -> serve(s), BACKEND_THREAD + "-conn");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return; // closed
        }
      }
    }

    private void serve(Socket s) {
      try (s) {
        s.setTcpNoDelay(true);
        InputStream in = new BufferedInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        while (true) {
          int length = Http.readHead(in, "request");
          if (length < -1) return; // the proxy closed the connection
          if (length > 0 && !Http.skip(in, length)) return;
          out.write(response);
          out.flush();
        }
      } catch (IOException e) {
        // the proxy or the harness closed the connection
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      synchronized (accepted) {
        for (Socket s : accepted) s.close();
      }
    }
  }

  /** Just enough HTTP/1.1 to read a head and skip a Content-Length body. */
  private static final class Http {
    private Http() {}

    /**
     * Reads a head up to its blank line.
     *
     * @return its Content-Length, -1 without one, -2 at end of stream before a head
     */
    static int readHead(InputStream in, String what) throws IOException {
      StringBuilder line = new StringBuilder();
      int length = -1;
      boolean first = true;
      while (true) {
        int c = in.read();
        if (c < 0) {
          if (first && line.length() == 0) return -2;
          throw new IOException(what + " ended mid-head");
        }
        if (c == '\r') continue;
        if (c != '\n') {
          line.append((char) c);
          continue;
        }
        if (line.length() == 0) return length;
        String l = line.toString();
        if (first && l.startsWith("HTTP/") && !l.startsWith("HTTP/1.1 200"))
          throw new IOException(what + " answered " + l);
        first = false;
        int colon = l.indexOf(':');
        if (colon > 0 && l.substring(0, colon).trim().equalsIgnoreCase("content-length"))
          length = Integer.parseInt(l.substring(colon + 1).trim());
        line.setLength(0);
      }
    }

    static boolean skip(InputStream in, int length) throws IOException {
      for (int left = length; left > 0; ) {
        long n = in.skip(left);
        if (n <= 0) {
          if (in.read() < 0) return false;
          n = 1;
        }
        left -= n;
      }
      return true;
    }
  }
}
