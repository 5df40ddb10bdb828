package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.http.ClientRequest;
import dev.limpet.dataplane.upstream.Pool;
import dev.limpet.dataplane.upstream.Selection;
import dev.limpet.dataplane.upstream.Server;
import dev.limpet.dataplane.upstream.ServerSelector;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.HashSet;
import java.util.Set;

/**
 * Which server one request goes to, and its two retry policies: after a refused connection the
 * request goes to another server when it is idempotent and no byte of its body was sent (the
 * refusing server is not tried again); when a pooled connection turns out closed before any
 * response it is sent again, on a fresh connection, when it is idempotent and nothing of a body is
 * lost, at most {@link #MAX_STALE_RETRIES} times. Plain logic: no I/O, no channel.
 */
final class ServerChoice {
  static final int MAX_STALE_RETRIES = 2;

  private final Pool pool;
  private final Server named;
  private final ClientRequest request;

  /**
   * Servers that refused a connection for this request: not tried again. Made at the first refusal:
   * most requests have none.
   */
  private Set<Server> refused = Set.of();

  private Selection selection;
  private int staleRetries;
  private boolean unprocessedResent;

  /** Whether a byte of the request's body went to a server: it may not go to another then. */
  private boolean bodySent;

  /**
   * @param named the server a DataScript named ({@code avi.pool.select}), null when the pool
   *     chooses
   */
  ServerChoice(Pool pool, Server named, ClientRequest request) {
    this.pool = pool;
    this.named = named;
    this.request = request;
  }

  /**
   * Picks a server (persistence first), never one that refused this request. The selection's server
   * is null when none is left; the last server chosen stays {@link #server()}.
   */
  Selection next() {
    Selection next =
        named != null
            ? ServerSelector.selectNamed(pool, named, request, refused)
            : ServerSelector.select(pool, request, refused);
    if (next.server() != null) selection = next;
    return next;
  }

  /** The answer when {@link #next} found no server: 503 when none is up, 502 when all refused. */
  HttpResponseStatus noServerStatus() {
    return refused.isEmpty()
        ? HttpResponseStatus.SERVICE_UNAVAILABLE
        : HttpResponseStatus.BAD_GATEWAY;
  }

  String noServerReason() {
    return (refused.isEmpty() ? "no server available in pool " : "no server reachable in pool ")
        + pool.name();
  }

  /**
   * The chosen server refused the connection; true when the request may go to another server (ask
   * {@link #next}).
   */
  boolean refused(boolean idempotent) {
    if (refused.isEmpty()) refused = new HashSet<>(2);
    refused.add(server());
    return idempotent && !bodySent;
  }

  /** A byte of the request's body went to the chosen server. */
  void bodySent() {
    bodySent = true;
  }

  /**
   * The server's connection closed before any response (a pooled connection it had closed); true
   * when the request may be sent to it again.
   */
  boolean resendAfterClose(boolean idempotent, boolean requestComplete, long bodyBytes) {
    return idempotent && requestComplete && bodyBytes == 0 && staleRetries++ < MAX_STALE_RETRIES;
  }

  /**
   * The server did not process the request (it refused its HTTP/2 stream, or went away below it);
   * true the first time: the request may go again whatever its method, and no server has its body.
   */
  boolean resendUnprocessed() {
    if (unprocessedResent) return false;
    unprocessedResent = true;
    bodySent = false;
    return true;
  }

  Pool pool() {
    return pool;
  }

  /** The server chosen last, or null before one was. */
  Server server() {
    return selection == null ? null : selection.server();
  }

  /** How the last server was chosen (persistence outcome, pinned key), or null. */
  Selection selection() {
    return selection;
  }
}
