package dev.limpet.dataplane.persistence;

import java.util.Random;

/** Random local writes over a few keys and servers, for the convergence properties. */
public final class RandomWrites {
  private RandomWrites() {}

  /**
   * One insert, put, extend or remove of one of {@code keys} keys, to one of three servers, with an
   * expiry 10 to 11 minutes after {@code now}.
   */
  public static void write(PersistenceTable table, Random random, int keys, long now) {
    String key = "k" + random.nextInt(keys);
    String value = "10.0.0." + random.nextInt(3) + ":80";
    long expiresAt = now + 600_000 + random.nextInt(60_000);
    switch (random.nextInt(4)) {
      case 0 -> table.insertIfAbsent(key, value, expiresAt);
      case 1 -> table.put(key, value, expiresAt);
      case 2 -> table.extend(key, expiresAt);
      default -> table.remove(key);
    }
  }
}
