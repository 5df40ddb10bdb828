package dev.limpet.dataplane.persistence;

import dev.limpet.contract.PersistenceProfileConfig.OnServerDown;
import dev.limpet.dataplane.http.ClientRequest;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Optional;

/**
 * One persistence profile at work for one pool: finds the server a request is pinned to and records
 * new pins. Implementations are safe to call from any event loop.
 */
public interface Persistence {
  /**
   * The key ({@code ip:port}) of the server this request is pinned to, or null. Never throws on bad
   * input.
   */
  String pinnedServer(ClientRequest request);

  /** Records that {@code serverKey} now serves this client, which had no pin (a miss). */
  void remember(ClientRequest request, String serverKey);

  /**
   * Moves this client from {@code fromKey}, its pin, which could not take the request (down, gone,
   * at its limit), to {@code toKey}.
   */
  default void repin(ClientRequest request, String fromKey, String toKey) {
    remember(request, toKey);
  }

  /**
   * Called with the response head before it goes to the client; inserts a cookie or learns an
   * application cookie.
   *
   * @param pinnedKey what {@link #pinnedServer} returned for this request (may be null)
   * @param servedKey the server that answered
   */
  void onResponse(
      ClientRequest request, String pinnedKey, String servedKey, HttpHeaders responseHeaders);

  /**
   * Called on the first request of a client connection that uses this profile; the returned hold is
   * released when that connection closes. Only {@code ClientIP} keeps entries alive this way.
   */
  default Hold holdWhileConnected(ClientRequest request) {
    return Hold.NONE;
  }

  OnServerDown onServerDown();

  /**
   * The request field this profile pins on, or null: a request's trailer section may not carry it
   * (a server that merges trailers into the header would see a pin the proxy never read).
   */
  default String requestField() {
    return null;
  }

  /**
   * This profile as it works for requests that came over TLS: the same, except that an inserted
   * cookie is {@code Secure}.
   */
  default Persistence onTlsListener() {
    return this;
  }

  /**
   * The name of the table this profile keeps its pins in, for the registry to keep it; empty for a
   * type that keeps none (the pin travels in a cookie or a header).
   */
  default Optional<String> tableName() {
    return Optional.empty();
  }

  /**
   * Periodic upkeep; call it about once a second for every live {@code Persistence}. Cheap when
   * there is nothing to do. ClientIP uses it to keep entries of connected clients alive.
   */
  default void tick() {}

  /** Something a client connection keeps until it closes. */
  interface Hold {
    Hold NONE = () -> {};

    void release();
  }
}
