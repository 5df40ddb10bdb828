package dev.limpet.dataplane.proxy;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per HTTP/2 connection, for each virtual service whose response scripts learn where a key's
 * requests go: the stream whose exchange came first (it claims the key), whether a response came
 * back yet, and the streams whose requests wait for it ({@link FirstResponseGate}). Once a response
 * came back, or the first exchange ended without one, the virtual service's requests on this
 * connection no longer wait. Used from the connection's event loop only: its streams share it.
 */
final class FirstResponses {
  /**
   * At most this many streams wait per virtual service on one connection; the stream limit of the
   * connection bounds them already, this bounds them whatever that limit is.
   */
  static final int MAX_WAITING = 128;

  private static final AttributeKey<FirstResponses> KEY =
      AttributeKey.valueOf(FirstResponses.class, "firstResponses");

  /** What a stream's request does on arrival. */
  enum Admission {
    /** It is the first: it goes on, and the others wait for its response. */
    FIRST,
    /** A response came back already: it goes on. */
    GO,
    /** It waits for the first response. */
    WAIT,
    /** Too many wait already: it goes on without waiting. */
    FULL
  }

  /** Where one virtual service stands on this connection. */
  private static final class Claim {
    FirstResponseGate first;
    boolean settled;
    final Set<FirstResponseGate> waiting = new LinkedHashSet<>();
  }

  private final Map<String, Claim> byService = new HashMap<>(4);

  /** The claims of {@code connection} (an HTTP/2 stream's parent). */
  static FirstResponses of(Channel connection) {
    FirstResponses claims = connection.attr(KEY).get();
    if (claims == null) {
      claims = new FirstResponses();
      connection.attr(KEY).set(claims);
    }
    return claims;
  }

  Admission admit(String virtualService, FirstResponseGate gate) {
    Claim claim = byService.computeIfAbsent(virtualService, name -> new Claim());
    if (claim.settled) return Admission.GO;
    if (claim.first == null) {
      claim.first = gate;
      return Admission.FIRST;
    }
    if (claim.waiting.size() >= MAX_WAITING) return Admission.FULL;
    claim.waiting.add(gate);
    return Admission.WAIT;
  }

  /**
   * The first exchange of {@code virtualService} is over as {@code outcome} says (its response head
   * passed the response scripts, or it ended without one): every waiting stream goes on, and later
   * ones do not wait.
   */
  void settle(String virtualService, String outcome) {
    Claim claim = byService.get(virtualService);
    if (claim == null || claim.settled) return;
    claim.settled = true;
    claim.first = null;
    List<FirstResponseGate> released = List.copyOf(claim.waiting);
    claim.waiting.clear();
    for (FirstResponseGate gate : released) gate.release(outcome);
  }

  /** {@code gate}'s stream stops waiting (reset, or waited too long). */
  void leave(String virtualService, FirstResponseGate gate) {
    Claim claim = byService.get(virtualService);
    if (claim != null) claim.waiting.remove(gate);
  }
}
