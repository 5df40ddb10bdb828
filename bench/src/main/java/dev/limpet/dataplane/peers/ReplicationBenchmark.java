package dev.limpet.dataplane.peers;

import dev.limpet.dataplane.persistence.PersistenceTable;
import dev.limpet.dataplane.persistence.TableRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.ref.Reference;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * Replication between replicas on loopback, in one JVM (each replica with its own replication
 * thread and real TCP links):
 *
 * <ul>
 *   <li>{@code lag}: 10,000 updates written round-robin on three replicas, each replicated to the
 *       other two; the lag of each (change → acknowledgement by the peer, so an upper bound of the
 *       one-way delay) at a steady rate and in one burst.
 *   <li>{@code resync}: a replica joins a peer that holds N entries (default 1,000,000); the time
 *       until it reports ready, and the heap its table keeps.
 * </ul>
 *
 * Run: {@code java -Xmx2g -cp ... dev.limpet.dataplane.peers.ReplicationBenchmark [lag|resync]
 * [entries]}.
 */
public final class ReplicationBenchmark {
  private static final byte[] SECRET =
      "benchmark secret, 32 bytes long.".getBytes(StandardCharsets.UTF_8);
  private static final String TABLE = "persistence/sticky/web";
  private static final String[] SERVERS = new String[10];

  static {
    for (int i = 0; i < SERVERS.length; i++) SERVERS[i] = "10.0.0." + (10 + i) + ":8080";
  }

  private ReplicationBenchmark() {}

  public static void main(String[] args) throws Exception {
    String what = args.length > 0 ? args[0] : "all";
    if (what.equals("lag") || what.equals("all")) {
      lag("steady 2,000 updates/s", 500_000);
      lag("burst", 0);
    }
    if (what.equals("resync") || what.equals("all"))
      resync(args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000);
  }

  /** Lag samples in nanoseconds, one per update and peer. */
  private static final class LagRecorder implements PeerMetrics {
    private final long[] samples = new long[100_000];
    private int count;

    synchronized void clear() {
      count = 0;
    }

    synchronized long[] samples() {
      return Arrays.copyOf(samples, count);
    }

    synchronized int count() {
      return count;
    }

    @Override
    public synchronized void replicated(long nanos) {
      if (count < samples.length) samples[count++] = nanos;
    }

    @Override
    public void peersConnected(int delta) {}

    @Override
    public void updatesSent(int n) {}

    @Override
    public void updatesReceived(int n) {}

    @Override
    public void resyncReceived(long nanos, long entries) {}

    @Override
    public void resyncServed() {}

    @Override
    public void refused(String reason) {}
  }

  private static void lag(String label, long intervalNanos) throws Exception {
    int updates = 10_000;
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (int i = 0; i < 3; i++)
      addresses.add(new InetSocketAddress("127.0.0." + (201 + i), freePort()));
    LagRecorder lag = new LagRecorder();
    List<PeerService> services = new ArrayList<>();
    List<TableRegistry> registries = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        TableRegistry registry = new TableRegistry(2_000_000, System::currentTimeMillis, "r" + i);
        registries.add(registry);
        services.add(
            PeerService.start(
                PeerSettings.of("r" + i, addresses.get(i), new StaticPeers(addresses), SECRET),
                registry,
                lag));
      }
      for (PeerService s : services) while (!streamingToBothPeers(s)) Thread.sleep(10);
      // warm-up: the same path, not measured
      write(registries, 20_000, 0, "warm-");
      awaitSamples(lag, 40_000);
      lag.clear();

      long start = System.nanoTime();
      write(registries, updates, intervalNanos, "k-");
      awaitSamples(lag, 2 * updates);
      long elapsed = System.nanoTime() - start;
      long[] samples = lag.samples();
      Arrays.sort(samples);
      System.out.printf(
          "lag, %s: %,d updates (%,d samples) in %d ms; p50 %.3f ms, p90 %.3f ms, p99 %.3f ms,"
              + " max %.3f ms%n",
          label,
          updates,
          samples.length,
          elapsed / 1_000_000,
          millis(percentile(samples, 0.50)),
          millis(percentile(samples, 0.90)),
          millis(percentile(samples, 0.99)),
          millis(samples[samples.length - 1]));
    } finally {
      services.forEach(PeerService::close);
    }
  }

  private static boolean streamingToBothPeers(PeerService service) {
    Object sendingTo = service.view().get("sendingTo");
    return service.ready()
        && sendingTo instanceof List<?> links
        && links.size() == 2
        && links.stream().allMatch(l -> l.toString().contains("state=streaming"));
  }

  private static void write(
      List<TableRegistry> registries, int n, long intervalNanos, String prefix) {
    Random random = new Random(1);
    long expiry = System.currentTimeMillis() + 600_000;
    long next = System.nanoTime();
    for (int i = 0; i < n; i++) {
      PersistenceTable table = registries.get(i % registries.size()).table(TABLE);
      table.put(prefix + i, SERVERS[random.nextInt(SERVERS.length)], expiry);
      if (intervalNanos > 0) {
        next += intervalNanos;
        while (System.nanoTime() < next) LockSupport.parkNanos(next - System.nanoTime());
      }
    }
  }

  private static void awaitSamples(LagRecorder lag, int n) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (lag.count() < n) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("only " + lag.count());
      Thread.sleep(5);
    }
  }

  private static void resync(int entries) throws Exception {
    InetSocketAddress a = new InetSocketAddress("127.0.0.211", freePort());
    InetSocketAddress b = new InetSocketAddress("127.0.0.212", freePort());
    List<InetSocketAddress> both = List.of(a, b);
    LagRecorder metrics = new LagRecorder();
    TableRegistry source = new TableRegistry(entries, System::currentTimeMillis, "source");
    PeerService first =
        PeerService.start(
            PeerSettings.of("source", a, new StaticPeers(both), SECRET), source, metrics);
    PeerService joiner = null;
    try {
      while (!first.ready()) Thread.sleep(10);
      Random random = new Random(42);
      PersistenceTable table = source.table(TABLE);
      long expiry = System.currentTimeMillis() + 3_600_000;
      while (table.size() < entries)
        table.put(ipv4(random), SERVERS[random.nextInt(SERVERS.length)], expiry);

      long heapBefore = heapUsedAfterGc();
      resetPeaks();
      TableRegistry copy = new TableRegistry(entries, System::currentTimeMillis, "joiner");
      long start = System.nanoTime();
      joiner =
          PeerService.start(
              PeerSettings.of("joiner", b, new StaticPeers(both), SECRET), copy, metrics);
      while (!joiner.ready()) Thread.sleep(1);
      long millis = (System.nanoTime() - start) / 1_000_000;
      long peak = peakHeap();
      if (copy.table(TABLE).size() != entries)
        throw new IllegalStateException("resynced " + copy.table(TABLE).size());
      long heapAfter = heapUsedAfterGc();
      System.out.printf(
          "resync: %,d entries to a new replica in %,d ms (%,.0f entries/s); the copy keeps %.1f"
              + " MB of heap (%.0f bytes/entry); heap peak during the resync %.0f MB (both"
              + " replicas, %.0f MB before it)%n",
          entries,
          millis,
          entries * 1000.0 / Math.max(1, millis),
          (heapAfter - heapBefore) / 1e6,
          (heapAfter - heapBefore) / (double) entries,
          peak / 1e6,
          heapBefore / 1e6);
      Reference.reachabilityFence(copy);
    } finally {
      if (joiner != null) joiner.close();
      first.close();
    }
  }

  private static String ipv4(Random random) {
    return (random.nextInt(223) + 1)
        + "."
        + random.nextInt(256)
        + "."
        + random.nextInt(256)
        + "."
        + random.nextInt(256);
  }

  private static long percentile(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static long heapUsedAfterGc() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
      if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
  }

  /** The sum of the heap pools' peaks: an upper bound of the heap in use at any one time. */
  private static long peakHeap() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
      if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
    return peak;
  }
}
