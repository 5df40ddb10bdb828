package dev.limpet.dataplane.proxy;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bytes allocated and CPU time used by the data plane's threads (every live thread but the
 * harness's client and the backends) between {@link #start} and {@link #stop}: the bytes are a
 * count, the same on a busy machine; the CPU time is for reference only.
 */
final class DataPlaneThreads {
  /** The harness's own thread is named this, so that it is left out. */
  static final String CLIENT = "bench-client";

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final Map<Long, String> names = new HashMap<>();
  private final long[] ids;
  private final long[] bytesBefore;
  private final long[] cpuBefore;
  private final Map<String, Long> bytesByThread = new TreeMap<>();
  private long bytes;
  private long cpuNanos;

  private DataPlaneThreads() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String name = t.getName();
      // "process reaper" waits for a client run as a process of its own (h2load)
      if (!name.equals(CLIENT)
          && !name.startsWith(AnchorsBackend.THREAD)
          && !name.startsWith("process reaper"))
        names.put(t.getId(), name.replaceAll("-\\d+$", "-N"));
    }
    ids = names.keySet().stream().mapToLong(Long::longValue).toArray();
    bytesBefore = THREADS.getThreadAllocatedBytes(ids);
    cpuBefore = THREADS.getThreadCpuTime(ids);
  }

  /** Starts counting for the data-plane threads alive now. */
  static DataPlaneThreads start() {
    return new DataPlaneThreads();
  }

  /** Stops counting; the totals are read from {@link #bytes} and {@link #cpuNanos}. */
  DataPlaneThreads stop() {
    long[] bytesAfter = THREADS.getThreadAllocatedBytes(ids);
    long[] cpuAfter = THREADS.getThreadCpuTime(ids);
    for (int i = 0; i < ids.length; i++) {
      if (bytesBefore[i] < 0 || bytesAfter[i] < 0) continue; // ended meanwhile
      long b = bytesAfter[i] - bytesBefore[i];
      bytes += b;
      if (cpuBefore[i] >= 0 && cpuAfter[i] >= 0) cpuNanos += cpuAfter[i] - cpuBefore[i];
      if (b > 0) bytesByThread.merge(names.get(ids[i]), b, Long::sum);
    }
    return this;
  }

  long bytes() {
    return bytes;
  }

  long cpuNanos() {
    return cpuNanos;
  }

  /** Prints bytes per {@code unit} for each thread that allocated any. */
  void printByThread(long count, String unit) {
    bytesByThread.forEach(
        (name, b) ->
            System.out.printf(
                Locale.ROOT, "  %-40s %,10.1f B/%s%n", name, (double) b / count, unit));
  }
}
