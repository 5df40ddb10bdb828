package dev.limpet.dataplane.persistence;

import dev.limpet.contract.Cidr;
import dev.limpet.contract.PersistenceProfileConfig.OnServerDown;
import dev.limpet.dataplane.http.ClientRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.LongSupplier;

/**
 * Pins a client address block (the client IP masked to a prefix) to a server until the timeout has
 * passed since the block's last connection closed.
 *
 * <p>While a block has open connections, {@link #tick} extends its entry every {@code
 * min(timeout/2, 30 s)} (at least every second) to now + timeout; when the last connection closes
 * the entry is extended to now + timeout once more and then left to expire. Only forward extensions
 * are used, so every replica keeps the entry alive. Held entries live at least {@value
 * #MIN_HELD_LIFETIME_MILLIS} ms so that a one-second tick keeps up with very short timeouts.
 */
public final class ClientIpPersistence extends TablePersistence {
  static final long MIN_HELD_LIFETIME_MILLIS = 3_000;
  private static final long MIN_KEEP_INTERVAL_MILLIS = 1_000;
  private static final long MAX_KEEP_INTERVAL_MILLIS = 30_000;
  private static final int RECENT_KEYS = 256; // a power of two

  private final LiveConnections connections;
  private final long heldLifetimeMillis;
  private final long keepIntervalMillis;
  private final int prefixLengthV4;
  private final int prefixLengthV6;
  private long nextKeepMillis = Long.MIN_VALUE; // guarded by this

  /**
   * The keys of recent client addresses, a slot per address hash, so that the requests of a
   * connection (the same address object) or of a returning client do not build the key's text
   * again. Entries are immutable; a thread may see a slot's old entry or its new one.
   */
  private final AddressKey[] recentKeys = new AddressKey[RECENT_KEYS];

  private record AddressKey(InetAddress address, String key) {}

  /**
   * @param timeoutMillis 0 disables persistence
   */
  ClientIpPersistence(
      PersistenceTable table,
      LiveConnections connections,
      long timeoutMillis,
      int prefixLengthV4,
      int prefixLengthV6,
      OnServerDown onServerDown,
      LongSupplier clock) {
    super(table, timeoutMillis, onServerDown, clock);
    this.connections = connections;
    this.heldLifetimeMillis = Math.max(timeoutMillis, MIN_HELD_LIFETIME_MILLIS);
    this.keepIntervalMillis =
        Math.max(MIN_KEEP_INTERVAL_MILLIS, Math.min(timeoutMillis / 2, MAX_KEEP_INTERVAL_MILLIS));
    this.prefixLengthV4 = prefixLengthV4;
    this.prefixLengthV6 = prefixLengthV6;
  }

  @Override
  public String pinnedServer(ClientRequest request) {
    String key = key(request);
    if (key == null) return null;
    PersistenceTable.Entry entry = table.lookup(key);
    return entry == null ? null : entry.value();
  }

  @Override
  public void remember(ClientRequest request, String serverKey) {
    String key = key(request);
    if (key != null) table.put(key, serverKey, expiry());
  }

  @Override
  public void onResponse(
      ClientRequest request, String pinnedKey, String servedKey, HttpHeaders responseHeaders) {}

  @Override
  public Hold holdWhileConnected(ClientRequest request) {
    String key = key(request);
    if (key == null) return Hold.NONE;
    connections.opened(key);
    // the next tick may be up to a keep interval away
    table.extend(key, Expiry.after(clock.getAsLong(), heldLifetimeMillis));
    return new ConnectionHold(key);
  }

  /**
   * A client connection's hold on its key, released once when it closes. A connection makes and
   * releases its holds on its own event loop, so a plain field guards a second release (no atomic
   * flag, and one object instead of a flag and a lambda).
   */
  private final class ConnectionHold implements Hold {
    private final String key;
    private boolean released;

    ConnectionHold(String key) {
      this.key = key;
    }

    @Override
    public void release() {
      if (released) return;
      released = true;
      if (connections.closed(key)) table.extend(key, expiry());
    }
  }

  /** Extends the entries of connected clients, at most once per keep interval. */
  @Override
  public void tick() {
    if (timeoutMillis == 0) return;
    long now = clock.getAsLong();
    synchronized (this) {
      if (now < nextKeepMillis) return;
      nextKeepMillis = now + keepIntervalMillis;
    }
    long expiresAt = Expiry.after(now, heldLifetimeMillis);
    for (String key : connections.keys()) table.extend(key, expiresAt);
  }

  /** The table key of this client, or null when persistence is off or the address is unknown. */
  private String key(ClientRequest request) {
    if (timeoutMillis == 0) return null;
    InetSocketAddress client = request.client();
    InetAddress address = client == null ? null : client.getAddress();
    if (address == null) return null;
    int slot = address.hashCode() & (RECENT_KEYS - 1);
    AddressKey recent = recentKeys[slot];
    if (recent != null && recent.address().equals(address)) return recent.key();
    byte[] bytes = address.getAddress();
    String key =
        NetUtil.bytesToIpAddress(
            Cidr.mask(bytes, bytes.length == 4 ? prefixLengthV4 : prefixLengthV6));
    recentKeys[slot] = new AddressKey(address, key);
    return key;
  }
}
