package dev.limpet.dataplane.persistence;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Measures the heap a full {@link PersistenceTable} takes per entry. Run by hand (not a test):
 * {@code java -Xmx2g -cp <test-classes>:<classes>:<dependencies>
 * dev.limpet.dataplane.persistence.TableFootprint [entries]}.
 */
public final class TableFootprint {
  private static final String[] SERVERS = new String[10];

  static {
    for (int i = 0; i < SERVERS.length; i++) SERVERS[i] = "10.0.0." + (10 + i) + ":8080";
  }

  public static void main(String[] args) {
    int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Random random = new Random(42);
    IntFunction<String> ipv4 =
        i ->
            (random.nextInt(223) + 1)
                + "."
                + random.nextInt(256)
                + "."
                + random.nextInt(256)
                + "."
                + random.nextInt(256);
    IntFunction<String> sessionId = i -> hex16(random.nextLong()) + hex16(random.nextLong());
    IntFunction<String> sharedServer = i -> SERVERS[i % SERVERS.length];
    // as a value read from the network would be: its own String and its own bytes
    IntFunction<String> ownServer = i -> new String(SERVERS[i % SERVERS.length].toCharArray());

    System.out.printf("%,d entries, heap bytes per entry:%n", entries);
    measure("IPv4 key, value shared with the pool's server key", entries, ipv4, sharedServer);
    measure("32-hex session id key, value shared", entries, sessionId, sharedServer);
    measure("IPv4 key, value a string of its own", entries, ipv4, ownServer);
    measure("32-hex session id key, value a string of its own", entries, sessionId, ownServer);
  }

  private static void measure(
      String label, int entries, IntFunction<String> key, IntFunction<String> value) {
    long before = heapUsedAfterGc();
    PersistenceTable table = new PersistenceTable("footprint", entries, () -> 0L);
    for (int i = 0; table.size() < entries; i++) table.put(key.apply(i), value.apply(i), 1L << 40);
    long after = heapUsedAfterGc();
    System.out.printf("  %-52s %6.1f%n", label, (after - before) / (double) entries);
    Reference.reachabilityFence(table);
  }

  private static String hex16(long bits) {
    String hex = Long.toHexString(bits);
    return "0".repeat(16 - hex.length()) + hex;
  }

  private static long heapUsedAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }
}
