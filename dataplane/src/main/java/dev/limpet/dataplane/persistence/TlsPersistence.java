package dev.limpet.dataplane.persistence;

import dev.limpet.contract.PersistenceProfileConfig.OnServerDown;
import dev.limpet.dataplane.http.ClientRequest;
import dev.limpet.dataplane.tls.TlsSession;
import dev.limpet.dataplane.tls.TlsSessionKeys;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.function.LongSupplier;

/**
 * Pins a client's TLS session to a server: a connection that resumes the session (or, in TLS 1.2,
 * offers its session ID again) goes to the same server. Learns the keys of every session and ticket
 * a connection can later present (see {@link TlsSessionKeys}); an entry lives for the timeout after
 * its last use. Requests that did not come over TLS are balanced as usual.
 */
public final class TlsPersistence extends TablePersistence {

  TlsPersistence(
      PersistenceTable table, long timeoutMillis, OnServerDown onServerDown, LongSupplier clock) {
    super(table, timeoutMillis, onServerDown, clock);
  }

  @Override
  public String pinnedServer(ClientRequest request) {
    for (String key : keys(request).presented()) {
      PersistenceTable.Entry entry = table.lookup(key);
      if (entry != null) return entry.value();
    }
    return null;
  }

  @Override
  public void remember(ClientRequest request, String serverKey) {
    long expiresAt = expiry();
    for (String key : keys(request).all()) table.put(key, serverKey, expiresAt);
  }

  /**
   * Points every key of the connection at the server that answered and keeps the entries alive.
   * Writes only what changed, or an expiry past half its lifetime: a keep-alive connection's
   * requests do not each cost a table write and a replication message.
   */
  @Override
  public void onResponse(
      ClientRequest request, String pinnedKey, String servedKey, HttpHeaders responseHeaders) {
    if (servedKey == null) return;
    long now = clock.getAsLong();
    for (String key : keys(request).all()) {
      PersistenceTable.Entry entry = table.lookup(key);
      if (entry == null || !servedKey.equals(entry.value()))
        table.put(key, servedKey, Expiry.after(now, timeoutMillis));
      else if (entry.expiresAtMillis() - now < timeoutMillis / 2)
        table.extend(key, Expiry.after(now, timeoutMillis));
    }
  }

  private static TlsSessionKeys keys(ClientRequest request) {
    TlsSession tls = request.tls();
    return tls == null ? TlsSessionKeys.NONE : tls.keys();
  }
}
