package dev.limpet.dataplane.upstream;

/**
 * The server chosen for one request and why.
 *
 * @param pinnedKey the server persistence pinned the request to, null when it did not
 */
public record Selection(Server server, String pinnedKey, Outcome outcome) {

  /** How persistence took part in the choice; counted per pool. */
  public enum Outcome {
    /** The pool has no persistence profile. */
    NONE,
    /** The pinned server was used. */
    HIT,
    /** Nothing pinned: load-balanced and remembered. */
    MISS,
    /** The pinned server was down or gone: load-balanced and re-remembered. */
    REPICK,
    /**
     * A DataScript named the server ({@code avi.pool.select}) and it was used; not persistence, and
     * counted also in a pool without a profile.
     */
    SCRIPT
  }
}
