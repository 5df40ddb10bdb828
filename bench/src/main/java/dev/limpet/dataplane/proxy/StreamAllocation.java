package dev.limpet.dataplane.proxy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.limpet.dataplane.DataPlane;
import dev.limpet.dataplane.persistence.CookieKeySet;
import dev.limpet.dataplane.tls.TlsProviders;
import dev.limpet.dataplane.transport.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * Bytes the data plane allocates per HTTP/2 stream from clients (h2c with prior knowledge), through
 * the real pipeline: a {@link DataPlane} in this JVM with one event loop, the anchors' {@code rr}
 * configuration plus a virtual service with {@code http2: {enabled: true}} (as {@code
 * bench/h2load.sh} adds it), three backends on 127.0.0.2–4 (those of {@link RequestAllocation}),
 * and {@code h2load} as the client: a process of its own, so its work is not counted. Each request
 * is one stream; {@code h2load -c 4 -m 10} keeps 10 streams open on each of 4 connections.
 *
 * <p>Allocated bytes are counted per thread ({@code ThreadMXBean.getThreadAllocatedBytes}) over
 * every thread of the data plane, not this harness's or the backends': a count, not a timing, so it
 * is the same on a busy machine. CPU time of the same threads is printed for reference only.
 *
 * <pre>
 * java -cp ... dev.limpet.dataplane.proxy.StreamAllocation [streams] [warmup] [connections] [streams per connection]
 * </pre>
 *
 * defaults 100,000, 100,000, 4 and 10; run from the repository root (or set {@code
 * LIMPET_PROXY_SH}); {@code H2LOAD} names the client (default {@code h2load}), {@code
 * LIMPET_TRANSPORT} the data plane's socket transport (default {@code auto}).
 */
public final class StreamAllocation {
  private static final int BACKENDS = 3;
  private static final long LOAD_TIMEOUT_SECONDS = 600;
  private static final Pattern SUCCEEDED =
      Pattern.compile("requests: (\\d+) total, \\d+ started, \\d+ done, (\\d+) succeeded");
  private static final Pattern STATUS_2XX = Pattern.compile("status codes: (\\d+) 2xx");

  private StreamAllocation() {}

  public static void main(String[] args) throws Exception {
    int streams = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int connections = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int perConnection = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("access").setLevel(Level.OFF);
    Thread.currentThread().setName(DataPlaneThreads.CLIENT);
    List<AnchorsBackend> backends = new ArrayList<>();
    try {
      for (int i = 0; i < BACKENDS; i++) backends.add(new AnchorsBackend("s" + (i + 1), 2 + i));
      int h1Port = freePort();
      int h2cPort = freePort();
      String config =
          AnchorsSetup.render(
              "rr",
              h1Port,
              backends,
              "  - {name: bench-h2c, address: 127.0.0.1, port: "
                  + h2cPort
                  + ", pool: be, limits: {maxConnections: 8000}, http2: {enabled: true}}");
      String transport = System.getenv().getOrDefault("LIMPET_TRANSPORT", "auto");
      try (DataPlane dataPlane =
          new DataPlane(
              1,
              CookieKeySet.random(),
              null,
              TlsProviders.select("auto"),
              Transport.select(transport))) {
        dataPlane.apply(config);
        String url = "http://127.0.0.1:" + h2cPort + "/";
        if (warmup > 0) load(url, warmup, connections, perConnection);
        DataPlaneThreads threads = DataPlaneThreads.start();
        load(url, streams, connections, perConnection);
        threads.stop();
        System.out.printf(
            Locale.ROOT,
            "h2c: %,d streams (%d connections x %d concurrent), by thread:%n",
            streams,
            connections,
            perConnection);
        threads.printByThread(streams, "stream");
        System.out.println();
        System.out.println(
            "| mode | bytes allocated per stream | µs CPU per stream (busy machine: indicative) |");
        System.out.println("|---|---|---|");
        System.out.printf(
            Locale.ROOT,
            "| h2c | %,.0f | %.2f |%n",
            (double) threads.bytes() / streams,
            threads.cpuNanos() / 1000.0 / streams);
      }
    } finally {
      for (AnchorsBackend b : backends) b.close();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return free.getLocalPort();
    }
  }

  /** Runs h2load to the end and fails unless every stream was answered 2xx. */
  private static void load(String url, int streams, int connections, int perConnection)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
            System.getenv().getOrDefault("H2LOAD", "h2load"),
            "-n",
            Integer.toString(streams),
            "-c",
            Integer.toString(connections),
            "-m",
            Integer.toString(perConnection),
            "-t",
            "1",
            url);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(LOAD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("h2load did not finish in " + LOAD_TIMEOUT_SECONDS + " s");
    }
    Matcher done = SUCCEEDED.matcher(out);
    Matcher ok = STATUS_2XX.matcher(out);
    if (p.exitValue() != 0
        || !done.find()
        || Integer.parseInt(done.group(2)) != streams
        || !ok.find()
        || Integer.parseInt(ok.group(1)) != streams)
      throw new IllegalStateException("not every stream was answered 2xx; h2load said:\n" + out);
  }
}
