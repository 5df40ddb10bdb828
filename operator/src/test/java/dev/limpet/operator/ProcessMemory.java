package dev.limpet.operator;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The memory of another JVM process, sampled every 100 ms: its resident set from {@code
 * /proc/<pid>/status} ({@code VmRSS}, and {@code VmHWM}, the kernel's own peak) and its heap from
 * its {@link MemoryMXBean}, reached over JMX through the attach API (what {@code jconsole} does).
 */
final class ProcessMemory implements AutoCloseable {
  private static final long MIB = 1024 * 1024;
  // USER_HZ, which Linux fixes at 100 on every architecture Java runs on
  private static final long CLOCK_TICKS_PER_SECOND = 100;

  /** Peaks since sampling began, and the heap kept after a full collection. */
  record Report(
      long peakRssBytes,
      long rssBytes,
      long peakHeapUsedBytes,
      long peakHeapCommittedBytes,
      long heapMaxBytes,
      long liveHeapBytes,
      long nonHeapUsedBytes) {
    @Override
    public String toString() {
      return String.format(
          "RSS peak %d MiB (now %d MiB); heap used peak %d MiB, committed peak %d MiB, max %d MiB,"
              + " live after full GC %d MiB; non-heap (metaspace, code cache) %d MiB",
          peakRssBytes / MIB,
          rssBytes / MIB,
          peakHeapUsedBytes / MIB,
          peakHeapCommittedBytes / MIB,
          heapMaxBytes / MIB,
          liveHeapBytes / MIB,
          nonHeapUsedBytes / MIB);
    }
  }

  private final long pid;
  private final JMXConnector connector;
  private final MemoryMXBean memory;
  private final MBeanServerConnection server;
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
  private volatile long peakHeapUsed;
  private volatile long peakHeapCommitted;

  ProcessMemory(long pid) throws Exception {
    this.pid = pid;
    VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
    String address;
    try {
      address = vm.startLocalManagementAgent();
    } finally {
      vm.detach();
    }
    connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
    server = connector.getMBeanServerConnection();
    memory =
        ManagementFactory.newPlatformMXBeanProxy(
            server, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
    sampler.scheduleAtFixedRate(this::sample, 0, 100, TimeUnit.MILLISECONDS);
  }

  private void sample() {
    try {
      MemoryUsage heap = memory.getHeapMemoryUsage();
      peakHeapUsed = Math.max(peakHeapUsed, heap.getUsed());
      peakHeapCommitted = Math.max(peakHeapCommitted, heap.getCommitted());
    } catch (RuntimeException e) {
      // the process is ending; the peaks so far stand
    }
  }

  /** The peaks so far; then a full collection, to tell the live heap from garbage not yet taken. */
  Report report() throws IOException {
    sample();
    long hwm = statusKib("VmHWM") * 1024;
    long rss = statusKib("VmRSS") * 1024;
    long peakUsed = peakHeapUsed;
    long peakCommitted = peakHeapCommitted;
    memory.gc();
    MemoryUsage heap = memory.getHeapMemoryUsage();
    return new Report(
        hwm,
        rss,
        peakUsed,
        peakCommitted,
        heap.getMax(),
        heap.getUsed(),
        memory.getNonHeapMemoryUsage().getUsed());
  }

  /**
   * The answer of a {@code jcmd} diagnostic command, by its MBean operation name: {@code
   * gcClassHistogram} (what fills the heap), {@code vmNativeMemory} with {@code summary} (where the
   * resident set goes; needs {@code -XX:NativeMemoryTracking=summary}).
   */
  String diagnostic(String operation, String... arguments) throws Exception {
    return (String)
        server.invoke(
            new ObjectName("com.sun.management:type=DiagnosticCommand"),
            operation,
            new Object[] {arguments},
            new String[] {String[].class.getName()});
  }

  /** The CPU time the process used so far (user + system), from {@code /proc/<pid>/stat}. */
  Duration cpuTime() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // fields after the command name, which is in parentheses and may hold spaces
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return Duration.ofMillis(ticks * 1000 / CLOCK_TICKS_PER_SECOND);
  }

  private long statusKib(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")))
      if (line.startsWith(field + ":"))
        return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
    throw new IOException("no " + field + " in /proc/" + pid + "/status");
  }

  @Override
  public void close() throws IOException {
    sampler.shutdownNow();
    connector.close();
  }
}
