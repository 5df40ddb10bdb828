package dev.limpet.dataplane.persistence;

/**
 * The {@code Set-Cookie} header issued last for a server in the current second, so that the
 * responses of one second from one server share a sealed value instead of each paying for a seal
 * (AES-GCM, a fresh nonce) and the header's encoding. The value seals only the server key and the
 * second it was made, so a shared one says exactly what a fresh one would. Shared by the event
 * loops without a lock: a slot holds an immutable record, and a reader that misses (another second,
 * another server in the slot, a write it does not see yet) seals a new value, as it would without
 * this.
 */
final class IssuedCookies {
  private static final int SLOTS = 64;

  private record Issued(String serverKey, long second, String header) {}

  private final Issued[] issued = new Issued[SLOTS];

  /** The header issued for {@code serverKey} in {@code second}; null when there is none. */
  String get(String serverKey, long second) {
    Issued last = issued[slot(serverKey)];
    return last != null && last.second() == second && last.serverKey().equals(serverKey)
        ? last.header()
        : null;
  }

  /** Keeps {@code header}, just issued for {@code serverKey} in {@code second}. */
  void put(String serverKey, long second, String header) {
    issued[slot(serverKey)] = new Issued(serverKey, second, header);
  }

  private static int slot(String serverKey) {
    return (serverKey.hashCode() & 0x7fffffff) % SLOTS;
  }
}
