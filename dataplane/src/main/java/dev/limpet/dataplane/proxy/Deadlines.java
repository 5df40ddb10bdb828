package dev.limpet.dataplane.proxy;

import java.util.concurrent.TimeUnit;

/**
 * A client connection's three timeouts as one pure function of its state: which deadline applies
 * now and when it passes. Between exchanges: the header-read timeout from a head's first byte, else
 * the client-idle timeout from when the connection became idle (none while pipelined requests
 * wait). During an exchange relayed upstream: the client-idle timeout from the last body bytes
 * while the request streams, then the virtual service's upstream-response timeout from the last
 * sign of the server. An exchange answered locally or whose response is complete has none. The
 * proxy's {@link ConnectionTimer} wakes it at the time given; what it does then is the kind's.
 */
final class Deadlines {
  enum Kind {
    NONE,
    /** The client took too long to send a request head: 408 and close. */
    HEADER_READ,
    /** A kept-alive connection stayed idle: close. */
    CLIENT_IDLE,
    /** The client stalled its request body: close. */
    REQUEST_BODY,
    /** The server did not answer in time: 504, or close once the response started. */
    UPSTREAM_RESPONSE
  }

  record Deadline(Kind kind, long atNanos) {
    static final Deadline NONE = new Deadline(Kind.NONE, Long.MAX_VALUE);
  }

  private final long headerReadNanos;
  private final long clientIdleNanos;

  Deadlines(ListenerSettings settings) {
    this.headerReadNanos = TimeUnit.MILLISECONDS.toNanos(settings.headerReadMs());
    this.clientIdleNanos = TimeUnit.MILLISECONDS.toNanos(settings.clientIdleMs());
  }

  /**
   * Between exchanges.
   *
   * @param firstByteNanos when the awaited head's first byte came, 0 when none did
   * @param idleSinceNanos when the last exchange ended (or the connection opened)
   * @param requestsQueued whether pipelined requests wait their turn
   */
  Deadline between(long firstByteNanos, long idleSinceNanos, boolean requestsQueued) {
    if (firstByteNanos != 0)
      return new Deadline(Kind.HEADER_READ, firstByteNanos + headerReadNanos);
    if (requestsQueued) return Deadline.NONE;
    return new Deadline(Kind.CLIENT_IDLE, idleSinceNanos + clientIdleNanos);
  }

  /** During exchange {@code e}. */
  Deadline during(Exchange e) {
    if (e.responseComplete() || e.upstream == null) return Deadline.NONE;
    if (!e.requestComplete())
      return new Deadline(Kind.REQUEST_BODY, e.lastClientActivityNanos + clientIdleNanos);
    return new Deadline(
        Kind.UPSTREAM_RESPONSE,
        e.lastUpstreamActivityNanos
            + TimeUnit.MILLISECONDS.toNanos(e.vs().config().timeouts().upstreamResponseMs()));
  }

  long clientIdleNanos() {
    return clientIdleNanos;
  }

  long headerReadNanos() {
    return headerReadNanos;
  }
}
